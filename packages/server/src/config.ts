import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** Process configuration: validated once at start, then frozen. Campaign settings live in the store instead. */
export const ConfigSchema = Type.Object(
  {
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
    host: Type.String({ default: '0.0.0.0' }),
    /** sqlite:PATH or postgres://... */
    db: Type.String({ default: 'sqlite:./data/outdial.db' }),
    telephony: Type.Union([Type.Literal('sim'), Type.Literal('sip')], { default: 'sim' }),
    demo: Type.Boolean({ default: false }),
    /** This dialer node's name; several nodes can share one PostgreSQL. */
    nodeId: Type.String({ minLength: 1, default: 'node-1' }),
    /** How long a campaign lease lasts before another node may take the campaign over (ms). */
    leaseMs: Type.Integer({ minimum: 1000, default: 15_000 }),
    /** Session lifetime (ms): 12 hours, one shift. */
    sessionMs: Type.Integer({ minimum: 60_000, default: 12 * 3_600_000 }),
    /** Sign-in attempts allowed per client address per minute. */
    signInPerMinute: Type.Integer({ minimum: 1, default: 10 }),
    /** Where the built web app is (packages/web/dist). */
    webRoot: Type.String({ default: '' }),
    /** Directory for binary data (DNC registry bitsets, recordings); empty = beside the SQLite file, else ./data. */
    dataDir: Type.String({ default: '' }),
    /** Seed of the simulated carrier (demo reproducibility). */
    simSeed: Type.Integer({ default: 1 }),
    /** A scenario file (pacing-bench format) for the simulated carrier; empty = the demo's human-paced scenario. */
    simScenario: Type.String({ default: '' }),
    logLevel: Type.Union(
      [Type.Literal('fatal'), Type.Literal('error'), Type.Literal('warn'), Type.Literal('info'), Type.Literal('debug'), Type.Literal('silent')],
      { default: 'info' },
    ),
  },
  { additionalProperties: false },
);

export type ServerConfig = Readonly<Static<typeof ConfigSchema>>;

/** Fills defaults, validates, freezes. Throws one error that names every bad field. */
export function loadConfig(input: Record<string, unknown>): ServerConfig {
  const withDefaults = Value.Default(ConfigSchema, structuredClone(input)) as Record<string, unknown>;
  const errors = [...Value.Errors(ConfigSchema, withDefaults)];
  if (errors.length > 0) {
    const lines = errors.map((e) => `  ${e.path || '/'}: ${e.message} (got ${JSON.stringify(e.value)})`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  return Object.freeze(withDefaults as ServerConfig);
}
