import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../../packages/cli/src/main.ts';

async function run(argv: string[], input: string): Promise<{ code: number; lines: Array<Record<string, unknown>>; stderr: string; stdout: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const code = await main(argv, { stdin: Readable.from([input]), stdout, stderr, env: {} });
  const text = Buffer.concat(out).toString('utf8');
  const lines = text.startsWith('{') ? text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>) : [];
  return { code, lines, stderr: Buffer.concat(err).toString('utf8'), stdout: text };
}

const allowed = {
  id: 'ok-1',
  at: '2026-03-09T16:00:00Z',
  phone: '+12122010123',
  campaign: { purpose: 'telemarketing', dialMode: 'manual' },
  lists: { nationalDncSyncedAt: '2026-03-04' },
};

describe('outdial compliance check', () => {
  it('decides every line in order and exits 0', async () => {
    const input = [allowed, { ...allowed, id: 'late', at: '2026-03-10T02:30:00Z' }, { ...allowed, id: 'bad-phone', phone: '12' }]
      .map((r) => JSON.stringify(r))
      .join('\n');
    const result = await run(['compliance', 'check'], `${input}\n`);
    expect(result.code).toBe(0);
    expect(result.lines.map((l) => [l['id'], l['verdict']])).toEqual([
      ['ok-1', 'allow'],
      ['late', 'defer'],
      ['bad-phone', 'block'],
    ]);
    expect(result.lines[1]?.['notBefore']).toBe('2026-03-10T12:00:00Z');
  });

  it('gives a line error for bad JSON and missing fields, decides the rest, and exits 2', async () => {
    const input = ['{"id": "x", ', JSON.stringify(allowed), JSON.stringify({ id: 'no-at', phone: '+12122010123' }), JSON.stringify({ id: 'bad-at', at: '2026-02-30T10:00:00Z', phone: '+12122010123' })].join('\n');
    const result = await run(['compliance', 'check'], input);
    expect(result.code).toBe(2);
    expect(result.lines).toHaveLength(4);
    expect(result.lines[0]).toMatchObject({ id: null, error: { code: 'invalid_json' } });
    expect(result.lines[1]).toMatchObject({ id: 'ok-1', verdict: 'allow' });
    expect(result.lines[2]).toMatchObject({ id: 'no-at', error: { code: 'missing_field' } });
    expect(result.lines[3]).toMatchObject({ id: 'bad-at', error: { code: 'invalid_field' } });
    expect(String((result.lines[2]?.['error'] as { message: string }).message)).toContain('line 3');
  });

  it('prints --help', async () => {
    const result = await run(['compliance', 'check', '--help'], '');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--rules DIR');
  });

  it('applies --rules DIR over the shipped rules and names it in the rules version', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outdial-rules-'));
    writeFileSync(join(dir, 'rules.json'), JSON.stringify({
      version: 'ny-test-1',
      stateWindows: [{ state: 'NY', citation: 'test window', weekdays: ['14:00', '15:00'], saturday: null, sunday: null }],
    }));
    const result = await run(['compliance', 'check', '--rules', dir], JSON.stringify(allowed));
    expect(result.code).toBe(0);
    // 12:00 EDT is outside the replaced New York window of 14:00-15:00: deferred to 14:00 EDT.
    expect(result.lines[0]).toMatchObject({ verdict: 'defer', notBefore: '2026-03-09T18:00:00Z' });
    expect((result.lines[0]?.['evidence'] as { rulesVersion: string }).rulesVersion).toContain('ny-test-1');
  });

  it('refuses an unreadable --rules directory with exit 2', async () => {
    const result = await run(['compliance', 'check', '--rules', '/nonexistent/dir'], JSON.stringify(allowed));
    expect(result.code).toBe(2);
  });
});
