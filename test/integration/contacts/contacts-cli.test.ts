import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '@outdial/cli/main';

const dir = mkdtempSync(join(tmpdir(), 'outdial-cli-contacts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const db = `sqlite:${join(dir, 'outdial.db')}`;

async function run(args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => { out += c.toString(); });
  stderr.on('data', (c: Buffer) => { err += c.toString(); });
  const code = await main(args, { stdin: Readable.from([stdin]), stdout, stderr, env: { OUTDIAL_DATA_DIR: dir } });
  return { code, stdout: out, stderr: err };
}

function file(name: string, text: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('outdial dnc load / dnc check', () => {
  it('loads full and change files per area code and answers in the contract\'s JSON Lines', async () => {
    const full = file('212.txt', '2122010123\n212,2010124\n212-201-0125\n');
    const loaded = await run(['dnc', 'load', '--kind', 'national', '--synced-at', '2026-11-20', full, '--json', '--db', db]);
    expect(loaded.code).toBe(0);
    expect(JSON.parse(loaded.stdout)).toMatchObject({ kind: 'national', areaCodes: 1, numbers: 3, syncedAt: '2026-11-20' });
    const change = file('212-change.txt', 'A,2122010126,2026-11-21\nD,2122010125,2026-11-21\n');
    expect((await run(['dnc', 'load', '--kind', 'national', '--synced-at', '2026-11-21', change, '--db', db])).code).toBe(0);
    const state = await run(['dnc', 'load', '--kind', 'state', '--region', 'TX', file('tx.txt', '(512) 555-0100\n'), '--synced-at', '2026-10-01', '--json', '--db', db]);
    expect(state.code).toBe(0);
    expect((JSON.parse(state.stdout) as { files: Array<{ lines: number; added: number }> }).files).toEqual([expect.objectContaining({ lines: 1, added: 1 })]);

    const checked = await run(['dnc', 'check', '(212) 201-0123', '212.201.0125', '-', 'junk', '--json', '--db', db], '+1 212 201 0126\n5125550100\n');
    expect(checked.code).toBe(0);
    const lines = checked.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([
      { input: '(212) 201-0123', phone: '+12122010123', lists: [{ kind: 'national', region: null, syncedAt: '2026-11-21' }] },
      { input: '212.201.0125', phone: '+12122010125', lists: [] },
      { input: '+1 212 201 0126', phone: '+12122010126', lists: [{ kind: 'national', region: null, syncedAt: '2026-11-21' }] },
      { input: '5125550100', phone: '+15125550100', lists: [{ kind: 'state', region: 'TX', syncedAt: '2026-10-01' }] },
      { input: 'junk', phone: null, lists: [], error: expect.any(String) as string },
    ]);
  });

  it('refuses a registry file with a bad line, naming the file and line, and changes nothing', async () => {
    const bad = file('bad.txt', '2122010127\n2122010128\nnot-a-number\n');
    const result = await run(['dnc', 'load', '--kind', 'national', bad, '--db', db]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${bad}, line 3: unexpected "not-a-number"`);
    const checked = await run(['dnc', 'check', '2122010127', '--json', '--db', db]);
    expect(JSON.parse(checked.stdout)).toMatchObject({ lists: [] });
  });

  it('names a wrong flag', async () => {
    expect((await run(['dnc', 'load', '--kind', 'moon', 'x.txt'])).stderr).toContain('--kind');
    expect((await run(['dnc', 'load', '--kind', 'state', file('s.txt', '2122010123\n'), '--db', db])).code).toBe(2);
  });
});

describe('outdial import', () => {
  it('prints the contract\'s JSON summary and writes rejects', async () => {
    const csv = file('list.csv', 'phone,name,income\n(212) 201-0123,Ann,5\n12345,Bob,6\n,Cy,7\n212.201.0123,Dup,8\n');
    const rejects = join(dir, 'rejects.csv');
    const result = await run(['import', csv, '--list', 'cli', '--json', '--rejects', rejects, '--db', db]);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(summary).sort()).toEqual(['dncFlagged', 'duplicates', 'imported', 'rejectReasons', 'rejected', 'rows', 'seconds']);
    expect(summary).toMatchObject({ rows: 4, imported: 1, duplicates: 1, rejected: 2, rejectReasons: { invalid_phone: 1, missing_phone: 1 }, dncFlagged: 1 });
    expect(readFileSync(rejects, 'utf8')).toContain('12345,Bob,6,invalid_phone');
    // The progress bar ends at 100 % with the summary's counts, however quick the import.
    expect(result.stderr).toContain('100% 4 rows (1 imported, 1 duplicates, 2 rejected)');
  });

  it.each([
    ['a mapping naming a missing column', ['--map', 'Tel=phone'], 'phone,name\n2122010123,Ann\n', /--map Tel=phone: the file has no column "Tel"/],
    ['an empty file', [], '', /the file is empty/],
    ['binary junk', [], Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00]), /row 1, column 1: character 0x03/],
    ['a quote never closed', [], 'phone,name\n2122010123,"Ann\n', /row 2, column 2: quoted field is not closed/],
    ['a file without a phone column', [], 'name,city\nAnn,Paris\n', /no phone column/],
  ])('exits 2 on %s, naming where', async (_what, flags, content, message) => {
    const csv = file(`bad-${Math.random().toString(36).slice(2)}.csv`, content);
    const result = await run(['import', csv, '--list', 'bad', ...flags, '--db', db]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
