import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '@outdial/core/dialer/events';
import { FanoutSink } from '@outdial/core/dialer/fanout-sink';

describe('FanoutSink.wants', () => {
  it('wants a type when any sink does, everything once a sink declares nothing, and re-asks after add', () => {
    const only = (t: EngineEvent['type']) => ({ emit: () => {}, wants: (type: EngineEvent['type']) => type === t });
    const fan = new FanoutSink([only('contact.updated')]);
    expect(fan.wants('contact.updated')).toBe(true);
    expect(fan.wants('attempt.answered')).toBe(false);
    fan.add(only('agent.state'));
    expect(fan.wants('agent.state')).toBe(true);
    expect(fan.wants('attempt.answered')).toBe(false);
    fan.add({ emit: () => {} });
    expect(fan.wants('attempt.answered')).toBe(true);
  });
});
