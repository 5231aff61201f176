import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { NationalRegistry } from '@outdial/contacts/dnc/national-registry';
import { parseRegistryFile, RegistryFormatError } from '@outdial/contacts/dnc/registry-file-parser';

const dir = mkdtempSync(join(tmpdir(), 'outdial-registry-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function parse(name: string, content: string | Buffer): Promise<{ added: number[]; removed: number[]; change: boolean }> {
  const path = join(dir, name);
  writeFileSync(path, content);
  const added: number[] = [];
  const removed: number[] = [];
  const summary = await parseRegistryFile(path, { add: (n) => added.push(n), remove: (n) => removed.push(n) });
  return { added, removed, change: summary.change };
}

describe('FTC registry files', () => {
  it('reads the three full-file layouts, CRLF, a leading 1 and a last line without newline', async () => {
    expect(await parse('full.txt', '2122010123\r\n212,2010124\n212-201-0125\n12122010126\n\n3052010127')).toEqual({
      added: [2122010123, 2122010124, 2122010125, 2122010126, 3052010127], removed: [], change: false,
    });
  });

  it('reads change files with add/delete indicators and dates', async () => {
    expect(await parse('change.txt', 'A,2122010123,2026-11-20\nD,212-201-0124,2026-11-20\n2122010125,ADD,11/20/2026\n"2122010126","D"\n')).toEqual({
      added: [2122010123, 2122010125], removed: [2122010124, 2122010126], change: true,
    });
  });

  it('reads gzip files', async () => {
    expect((await parse('full.txt.gz', gzipSync('2122010123\n2122010124\n'))).added).toEqual([2122010123, 2122010124]);
  });

  it.each([
    ['a word', '2122010123\nhello\n', 2, /unexpected "hello"/],
    ['a short number', '2122010123\n212201012\n', 2, /expected a 10-digit number, got "212201012"/],
    ['a non-NANP number', '1122010123\n', 1, /not a North American number/],
    ['an indicator in a full file', '2122010123\nD,2122010124\n', 2, /add\/delete line in a full file/],
    ['a line without indicator in a change file', 'A,2122010123\n2122010124\n', 2, /needs an add\/delete indicator/],
  ])('names the file and line of %s', async (_what, content, line, message) => {
    const failure = parse(`bad-${line}-${Math.random().toString(36).slice(2)}.txt`, content);
    await expect(failure).rejects.toThrow(RegistryFormatError);
    await expect(failure).rejects.toThrow(new RegExp(`, line ${line}: `));
    await expect(failure).rejects.toThrow(message);
  });

  it('saves and loads the binary form (a restart does not re-parse text)', () => {
    const registry = new NationalRegistry();
    registry.applyChanges(212, [2010123], [], '2026-11-20');
    registry.applyChanges(907, [9999999], [], '2026-11-19');
    const path = join(dir, 'dnc-national.bin');
    registry.save(path);
    const loaded = NationalRegistry.load(path);
    expect(loaded.areaCodes()).toEqual([{ npa: 212, syncedAt: '2026-11-20', count: 1 }, { npa: 907, syncedAt: '2026-11-19', count: 1 }]);
    expect(loaded.has('+19079999999')).toBe(true);
    expect(NationalRegistry.load(join(dir, 'absent.bin')).size()).toBe(0);
    writeFileSync(join(dir, 'junk.bin'), 'not a registry');
    expect(() => NationalRegistry.load(join(dir, 'junk.bin'))).toThrow(/not an Outdial DNC registry file|truncated/);
  });
});
