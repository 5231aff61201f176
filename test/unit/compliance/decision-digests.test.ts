import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decide } from '@outdial/core/compliance/decide';
import { generatedRequests } from './support/generated-requests.ts';

/**
 * Every byte of every decision on a seeded set of 4,000 varied requests, as recorded in the fixture (one short
 * SHA-256 per decision). The decision engine is tuned for speed with caches and shortcuts; this is what shows that
 * none of them changed a decision. A change that is meant to change decisions (a rule, a table, a calendar, the
 * host's tzdb) re-records with `OUTDIAL_UPDATE_DECISIONS=1 npx vitest run test/unit/compliance/decision-digests.test.ts`
 * and says so in its commit.
 */
const FIXTURE = fileURLToPath(new URL('./fixtures/decision-digests.txt', import.meta.url));
const requests = generatedRequests(4000, 20_261_127);

function digest(decision: unknown): string {
  return createHash('sha256').update(JSON.stringify(decision)).digest('hex').slice(0, 16);
}

describe('decisions on the recorded request set', () => {
  it('are byte-identical to the recorded ones', () => {
    const lines = requests.map((request) => `${request.id} ${digest(decide(request))}`);
    if (process.env['OUTDIAL_UPDATE_DECISIONS'] === '1') writeFileSync(FIXTURE, `${lines.join('\n')}\n`);
    const recorded = readFileSync(FIXTURE, 'utf8').trimEnd().split('\n');
    expect(recorded).toHaveLength(requests.length);
    const changed = lines.flatMap((line, index) => (line === recorded[index] ? [] : [index]));
    const first = changed[0];
    const shown = first === undefined ? '' : JSON.stringify({ request: requests[first], decision: decide(requests[first] as never) });
    expect(changed.length, `${changed.length} decisions changed; the first: ${shown}`).toBe(0);
  });

  it('do not depend on the order in which requests are decided (caches carry nothing between decisions)', () => {
    const forward = requests.map((request) => digest(decide(request)));
    const backward = [...requests].reverse().map((request) => digest(decide(request))).reverse();
    expect(backward).toEqual(forward);
  });

  it('cover every verdict and the usual categories', () => {
    const decisions = requests.map((request) => decide(request));
    const verdicts = new Set(decisions.map((decision) => decision.verdict));
    const categories = new Set(decisions.flatMap((decision) => decision.reasons.map((reason) => reason.category)));
    expect([...verdicts].sort()).toEqual(['allow', 'block', 'defer']);
    for (const category of ['calling_hours', 'day_ban', 'dnc_national', 'dnc_stale', 'consent', 'frequency', 'abandon_cooldown', 'abandon_rate', 'invalid_number']) {
      expect(categories, category).toContain(category);
    }
  });
});
