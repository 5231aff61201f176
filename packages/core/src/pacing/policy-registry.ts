import { ProgressivePolicy } from '../dialer/progressive-policy.ts';
import type { AbandonRegime } from './estimators/budget-controller.ts';
import { OutdialPolicy } from './outdial-policy.ts';
import type { OutdialSettings } from './outdial-policy.ts';
import type { PacingPolicy } from './policy.ts';
import { SamuelsonPolicy } from './samuelson-policy.ts';
import type { VicidialMethod, VicidialSettings } from './vicidial-policy.ts';
import { VicidialPolicy } from './vicidial-policy.ts';

/** What a policy may know about its campaign besides the snapshot. */
export interface PolicyContext {
  regime: AbandonRegime;
  abandonTarget: number;
  graceMs: number;
  hoursPerDay: number;
  /** Minutes to add to UTC for the campaign's local time (VICIdial's day boundary and HHMM). */
  utcOffsetMinutes?: number;
}

export const DEFAULT_POLICY_CONTEXT: PolicyContext = { regime: 'us30d', abandonTarget: 0.03, graceMs: 2000, hoursPerDay: 8 };

export interface PolicySpec {
  name: string;
  settings: Readonly<Record<string, string>>;
}

export type PolicyResult = { ok: true; policy: PacingPolicy } | { ok: false; error: string };

/** The built-in policies, in the benchmark's default order. */
export const POLICY_NAMES = ['progressive', 'vicidial', 'samuelson', 'outdial'] as const;

/** The four standard VICIdial variants; comparisons use the best of them (pacing-bench contract). */
export const VICIDIAL_VARIANTS = ['vicidial', 'vicidial:tally=Y', 'vicidial:maxLevel=10', 'vicidial:tally=Y,maxLevel=10'] as const;

/** Parses `NAME` or `NAME:key=value,key=value`. */
export function parsePolicySpec(spec: string): { ok: true; spec: PolicySpec } | { ok: false; error: string } {
  const colon = spec.indexOf(':');
  const name = (colon < 0 ? spec : spec.slice(0, colon)).trim();
  if (name === '') return { ok: false, error: `policy "${spec}": missing name` };
  const settings: Record<string, string> = {};
  if (colon >= 0) {
    for (const part of spec.slice(colon + 1).split(',')) {
      if (part.trim() === '') continue;
      const eq = part.indexOf('=');
      if (eq <= 0) return { ok: false, error: `policy "${spec}": setting "${part}" is not key=value` };
      settings[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
    }
  }
  return { ok: true, spec: { name, settings } };
}

type Reader = { num(key: string): number | undefined; str(key: string): string | undefined; errors: string[] };

function reader(spec: PolicySpec, known: readonly string[]): Reader {
  const errors: string[] = [];
  for (const key of Object.keys(spec.settings)) {
    if (!known.includes(key)) errors.push(`${spec.name}: unknown setting "${key}" (known: ${known.join(', ') || 'none'})`);
  }
  return {
    errors,
    str: (key) => spec.settings[key],
    num(key) {
      const raw = spec.settings[key];
      if (raw === undefined) return undefined;
      const value = Number(raw);
      if (!Number.isFinite(value)) {
        errors.push(`${spec.name}: "${key}" must be a number, got "${raw}"`);
        return undefined;
      }
      return value;
    },
  };
}

function yesNo(r: Reader, key: string): boolean | undefined {
  const v = r.str(key);
  if (v === undefined) return undefined;
  const upper = v.toUpperCase();
  if (upper === 'Y' || upper === 'YES' || upper === 'TRUE' || upper === '1') return true;
  if (upper === 'N' || upper === 'NO' || upper === 'FALSE' || upper === '0') return false;
  r.errors.push(`"${key}" must be Y or N, got "${v}"`);
  return undefined;
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Builds a policy from `NAME:key=value,...`; the policy's name is the whole string (the benchmark's output key). */
export function createPacingPolicy(specText: string, context: PolicyContext = DEFAULT_POLICY_CONTEXT): PolicyResult {
  const parsed = parsePolicySpec(specText);
  if (!parsed.ok) return parsed;
  const spec = parsed.spec;
  const label = specText.trim();
  switch (spec.name) {
    case 'progressive': {
      const r = reader(spec, []);
      if (r.errors.length > 0) return { ok: false, error: r.errors.join('; ') };
      return { ok: true, policy: new ProgressivePolicy() };
    }
    case 'vicidial': {
      const r = reader(spec, ['method', 'maxLevel', 'tally', 'dropLimit', 'intensity', 'diffTarget', 'startLevel', 'tend', 'ofcom', 'utcOffset']);
      const method = r.str('method')?.toUpperCase().replace(/^ADAPT_/, '');
      if (method !== undefined && method !== 'HARD_LIMIT' && method !== 'TAPERED' && method !== 'AVERAGE') {
        r.errors.push(`vicidial: method must be HARD_LIMIT, TAPERED or AVERAGE, got "${method}"`);
      }
      const settings: Partial<VicidialSettings> = defined({
        method: method as VicidialMethod | undefined,
        maxLevel: r.num('maxLevel'),
        availableOnlyTally: yesNo(r, 'tally'),
        dropLimit: r.num('dropLimit'),
        intensity: r.num('intensity'),
        diffTarget: r.num('diffTarget'),
        startLevel: r.num('startLevel'),
        latestServerTime: r.num('tend'),
        ofcomUk: yesNo(r, 'ofcom') ?? context.regime === 'uk24h',
        utcOffsetMinutes: r.num('utcOffset') ?? context.utcOffsetMinutes,
      });
      const intensity = settings.intensity;
      if (intensity !== undefined && (intensity < -40 || intensity > 40)) r.errors.push('vicidial: intensity must be in −40..40');
      if (settings.maxLevel !== undefined && settings.maxLevel < 1) r.errors.push('vicidial: maxLevel must be ≥ 1');
      if (r.errors.length > 0) return { ok: false, error: r.errors.join('; ') };
      return { ok: true, policy: new VicidialPolicy(settings, label) };
    }
    case 'samuelson': {
      const r = reader(spec, ['margin']);
      const margin = r.num('margin');
      if (r.errors.length > 0) return { ok: false, error: r.errors.join('; ') };
      return { ok: true, policy: new SamuelsonPolicy(defined({ margin, graceMs: context.graceMs }), label) };
    }
    case 'outdial': {
      const r = reader(spec, ['theta', 'z', 'ki', 'kp', 'grid', 'tick', 'warmup', 'od']);
      const settings: Partial<OutdialSettings> = defined({
        regime: context.regime,
        target: context.abandonTarget,
        graceMs: context.graceMs,
        hoursPerDay: context.hoursPerDay,
        theta0: r.num('theta'),
        z: r.num('z'),
        integralGain: r.num('ki'),
        proportionalGain: r.num('kp'),
        gridMs: r.num('grid'),
        tickMs: r.num('tick'),
        warmupAnswers: r.num('warmup'),
        dispersion: r.num('od'),
      });
      const theta = settings.theta0;
      if (theta !== undefined && (theta <= 0 || theta >= 1)) r.errors.push('outdial: theta must be in (0, 1)');
      if (r.errors.length > 0) return { ok: false, error: r.errors.join('; ') };
      return { ok: true, policy: new OutdialPolicy(settings, label) };
    }
    default:
      return { ok: false, error: `unknown pacing policy "${spec.name}" (known: ${POLICY_NAMES.join(', ')})` };
  }
}
