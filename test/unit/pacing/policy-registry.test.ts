import { describe, expect, it } from 'vitest';
import { createPacingPolicy, parsePolicySpec, POLICY_NAMES, VICIDIAL_VARIANTS } from '@outdial/core/pacing/policy-registry';

describe('policy registry', () => {
  it('parses NAME:key=value,key=value', () => {
    expect(parsePolicySpec('vicidial:tally=Y,maxLevel=10')).toEqual({
      ok: true,
      spec: { name: 'vicidial', settings: { tally: 'Y', maxLevel: '10' } },
    });
    expect(parsePolicySpec('outdial')).toEqual({ ok: true, spec: { name: 'outdial', settings: {} } });
    expect(parsePolicySpec('vicidial:tally').ok).toBe(false);
    expect(parsePolicySpec(':x=1').ok).toBe(false);
  });

  it('builds every built-in policy and every standard VICIdial variant, named by the whole string', () => {
    for (const name of [...POLICY_NAMES, ...VICIDIAL_VARIANTS, 'vicidial:method=TAPERED', 'vicidial:method=ADAPT_AVERAGE,dropLimit=2,intensity=20', 'outdial:theta=0.01', 'samuelson:margin=1']) {
      const r = createPacingPolicy(name);
      expect(r.ok, name).toBe(true);
      if (r.ok && name !== 'progressive') expect(r.policy.name).toBe(name);
    }
  });

  it('passes the outdial decision tick through (outdial:tick=MS)', () => {
    const r = createPacingPolicy('outdial:tick=500');
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.policy.tickMs).toBe(500);
    const d = createPacingPolicy('outdial');
    if (d.ok) expect(d.policy.tickMs).toBe(1000);
  });

  it('refuses unknown policies, unknown keys and bad values with a message naming them', () => {
    const cases: Array<[string, string]> = [
      ['nope', 'unknown pacing policy "nope"'],
      ['vicidial:speed=9', 'unknown setting "speed"'],
      ['vicidial:method=FAST', 'method must be'],
      ['vicidial:maxLevel=abc', '"maxLevel" must be a number'],
      ['vicidial:tally=maybe', '"tally" must be Y or N'],
      ['vicidial:intensity=90', 'intensity'],
      ['outdial:theta=2', 'theta'],
      ['progressive:x=1', 'unknown setting "x"'],
    ];
    for (const [spec, message] of cases) {
      const r = createPacingPolicy(spec);
      expect(r.ok, spec).toBe(false);
      if (!r.ok) expect(r.error).toContain(message);
    }
  });
});
