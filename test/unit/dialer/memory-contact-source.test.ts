import { describe, expect, it } from 'vitest';
import { MemoryContactSource } from '@outdial/core/dialer/memory-contact-source';
import type { DialTarget } from '@outdial/core/dialer/ports';

const target = (contactId: string, priority = 0): DialTarget => ({ contactId, phone: '+12025550100', attemptNo: 1, priority, compliance: {} });

describe('MemoryContactSource order', () => {
  it('hands out due contacts by priority (higher first), then first in; future ones only once due, by due time', () => {
    const h = new MemoryContactSource();
    h.add('c', target('late', 9), 5_000);
    h.add('c', target('low-1', 0));
    h.add('c', target('high', 5));
    h.add('c', target('low-2', 0));
    h.add('c', target('neg', -1));
    h.add('c', target('soon', 9), 1_000);
    h.add('c', target('soon-2', 9), 1_000);
    expect(h.available('c', 0)).toBe(4);
    expect(h.take('c', 2, 0).map((t) => t.contactId)).toEqual(['high', 'low-1']);
    // At 1 s the two due at 1 s join, ahead of the lower priorities, in the order they were added.
    expect(h.take('c', 10, 1_000).map((t) => t.contactId)).toEqual(['soon', 'soon-2', 'low-2', 'neg']);
    expect(h.available('c', 4_999)).toBe(0);
    expect(h.take('c', 10, 5_000).map((t) => t.contactId)).toEqual(['late']);
    expect(h.scheduled('c')).toBe(0);
  });

  it('keeps that order over thousands of contacts (heaps grow past their first capacity), ties by insertion', () => {
    const h = new MemoryContactSource();
    const added: Array<{ id: string; dueAt: number; priority: number; seq: number }> = [];
    let x = 12345;
    const rand = (n: number): number => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return x % n;
    };
    for (let i = 0; i < 3000; i++) {
      const c = { id: `k${i}`, dueAt: rand(50) * 1000, priority: rand(4) - 1, seq: i };
      added.push(c);
      h.add('c', target(c.id, c.priority), c.dueAt);
    }
    const out: string[] = [];
    for (let now = 0; now < 50_000; now += 7_000) {
      // What is due now, by priority then first added, among those not yet handed out.
      const taken = new Set(out);
      const expected = added
        .filter((c) => c.dueAt <= now && !taken.has(c.id))
        .sort((a, b) => b.priority - a.priority || a.seq - b.seq)
        .slice(0, 400)
        .map((c) => c.id);
      const got = h.take('c', 400, now).map((t) => t.contactId);
      expect(got).toEqual(expected);
      out.push(...got);
    }
  });
});
