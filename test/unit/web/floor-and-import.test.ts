import { describe, expect, it } from 'vitest';
import type { FloorView, StreamEvent } from '../../../packages/web/src/api/types.ts';
import { formatDuration } from '../../../packages/web/src/i18n/format.ts';
import { previewCsv, suggestTarget } from '../../../packages/web/src/lib/csv-preview.ts';
import { applyFloorEvent, floorFromSnapshot, HISTORY_POINTS } from '../../../packages/web/src/lib/floor-reducer.ts';
import { reportQuery } from '../../../packages/web/src/lib/report-query.ts';
import { reconnectDelayMs, eventStreamUrl } from '../../../packages/web/src/api/event-stream.ts';
import { toCsv } from '../../../packages/server/src/routes/reports.route.ts';

const snapshot: FloorView = {
  agents: [{ agentId: 'a1', username: 'agent1', displayName: 'Alex', state: 'ready', since: 0, reason: null, campaignIds: ['k1'], call: null }],
  campaigns: [{ id: 'k1', name: 'Demo', status: 'running', dialMode: 'predictive', dialLevel: 1, abandonTarget: 0.03, abandonRate: 0, calls: 0, answered: 0, abandoned: 0, ringing: 0, waiting: 0 }],
};
const ev = (type: string, payload: Record<string, unknown>, at = 10): StreamEvent => ({ seq: at, at, type, campaignId: 'k1', payload });

describe('applyFloorEvent', () => {
  it('moves an agent through states and asks for a snapshot for an unknown agent', () => {
    const floor = floorFromSnapshot(snapshot);
    const paused = applyFloorEvent(floor, ev('agent.state', { agentId: 'a1', from: 'ready', to: 'paused', reason: 'Lunch' }, 50));
    expect(paused.state.agents[0]).toMatchObject({ state: 'paused', since: 50, reason: 'Lunch' });
    expect(applyFloorEvent(floor, ev('agent.state', { agentId: 'new', to: 'ready' })).needsSnapshot).toBe(true);
  });

  it('reads flat and nested campaign.stats and keeps a bounded history for the chart', () => {
    let floor = floorFromSnapshot(snapshot);
    floor = applyFloorEvent(floor, ev('campaign.stats', { campaignId: 'k1', dialLevel: 2.5, abandonRate: 0.01, calls: 40, answered: 20, abandoned: 1, ringing: 3, waiting: 0 })).state;
    expect(floor.campaigns[0]).toMatchObject({ dialLevel: 2.5, calls: 40, answered: 20, abandoned: 1 });
    floor = applyFloorEvent(floor, ev('campaign.stats', {
      campaignId: 'k1', stats: { status: 'running', dialLevel: 1.8, abandonRate: 0.02, dialed: 50, liveAnswers: 25, abandoned: 2, ringing: 1, waiting: 0, calls: 4, windowLiveAnswers: 100, windowAbandoned: 4 },
    }, 20)).state;
    expect(floor.campaigns[0]).toMatchObject({ dialLevel: 1.8, calls: 50, answered: 25, abandoned: 2 });
    expect(floor.history['k1']?.at(-1)).toEqual({ at: 20, dialLevel: 1.8, abandonRate: 0.02, windowAbandonRate: 0.04 });
    for (let i = 0; i < HISTORY_POINTS + 10; i++) floor = applyFloorEvent(floor, ev('campaign.stats', { campaignId: 'k1', dialLevel: 1 }, 100 + i)).state;
    expect(floor.history['k1']).toHaveLength(HISTORY_POINTS);
  });

  it('applies campaign.updated (pause from another supervisor)', () => {
    const floor = applyFloorEvent(floorFromSnapshot(snapshot), ev('campaign.updated', { campaignId: 'k1', status: 'paused', dialMode: 'progressive', abandonTarget: 0.02 })).state;
    expect(floor.campaigns[0]).toMatchObject({ status: 'paused', dialMode: 'progressive', abandonTarget: 0.02 });
  });
});

describe('import preview', () => {
  it('detects the delimiter, reads quoted fields and suggests targets', () => {
    const preview = previewCsv('\uFEFFPhone;First Name;Home Owner\n"+1 212 555 0100";"Smith; Jr";yes\r\n+13125550101;Lee;no\n', 5);
    expect(preview.delimiter).toBe(';');
    expect(preview.headers).toEqual(['Phone', 'First Name', 'Home Owner']);
    expect(preview.rows).toEqual([['+1 212 555 0100', 'Smith; Jr', 'yes'], ['+13125550101', 'Lee', 'no']]);
    expect(preview.headers.map(suggestTarget)).toEqual(['phone', 'firstName', 'homeOwner']);
  });
  it('stops after the asked number of rows', () => {
    expect(previewCsv('a,b\n1,2\n3,4\n5,6\n', 2).rows).toEqual([['1', '2'], ['3', '4']]);
  });
});

describe('small helpers', () => {
  it('formats durations', () => {
    expect([formatDuration(0), formatDuration(65_000), formatDuration(3_725_000), formatDuration(-5)]).toEqual(['0:00', '1:05', '1:02:05', '0:00']);
  });
  it('builds report queries', () => {
    expect(reportQuery({ campaignId: '', period: 'all', now: 1e12 })).toBe('');
    expect(reportQuery({ campaignId: 'k1', period: '7d', now: 1e12 })).toBe(`?campaignId=k1&from=${1e12 - 7 * 86_400_000}`);
  });
  it('resumes the event stream from the last seq with a bounded backoff', () => {
    expect(eventStreamUrl({ protocol: 'https:', host: 'x:1' }, 41)).toBe('wss://x:1/api/v1/events?since=41');
    expect(eventStreamUrl({ protocol: 'http:', host: 'x' }, null)).toBe('ws://x/api/v1/events');
    expect([0, 1, 2, 3, 4, 10].map(reconnectDelayMs)).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
  });
  it('writes CSV with quoting and formula guards', () => {
    expect(toCsv(['a', 'b'], [{ a: 'x,y', b: '=SUM(1)' }, { a: 'say "hi"', b: -3 }, { a: null, b: true }]))
      .toBe('a,b\r\n"x,y",\'=SUM(1)\r\n"say ""hi""",-3\r\n,true\r\n');
  });
});
