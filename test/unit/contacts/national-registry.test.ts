import { describe, expect, it } from 'vitest';
import { BITSET_BYTES, NationalRegistry } from '@outdial/contacts/dnc/national-registry';

describe('national registry bitsets', () => {
  it('holds numbers per area code, answers by E.164 and by number, and counts them', () => {
    const registry = new NationalRegistry();
    const set = new Uint8Array(BITSET_BYTES);
    for (const sub of [2010123, 9999999, 2000000]) set[sub >>> 3] = (set[sub >>> 3] ?? 0) | (1 << (sub & 7));
    registry.replaceAreaCode(212, set, '2026-11-20');
    expect(registry.has('+12122010123')).toBe(true);
    expect(registry.hasNumber(2129999999)).toBe(true);
    expect(registry.has('+12122010124')).toBe(false);
    expect(registry.has('+13102010123')).toBe(false);
    expect(registry.has('+442079460958')).toBe(false);
    expect(registry.listedSince('+12122000000')).toBe('2026-11-20');
    expect(registry.size()).toBe(3);
    expect(registry.areaCodes()).toEqual([{ npa: 212, syncedAt: '2026-11-20', count: 3 }]);
  });

  it('applies change files: additions and deletions, sync date per area code', () => {
    const registry = new NationalRegistry();
    registry.applyChanges(305, [2010123, 2010124], [], '2026-11-20');
    registry.applyChanges(305, [3000000], [2010123], '2026-11-21');
    expect([registry.has('+13052010123'), registry.has('+13052010124'), registry.has('+13053000000')]).toEqual([false, true, true]);
    expect(registry.areaCodes()).toEqual([{ npa: 305, syncedAt: '2026-11-21', count: 2 }]);
  });

  it('refuses a bitset of the wrong size', () => {
    expect(() => new NationalRegistry().replaceAreaCode(212, new Uint8Array(10), '2026-11-20')).toThrow(/expected 1250000/);
  });
});
