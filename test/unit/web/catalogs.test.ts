import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { en } from '../../../packages/web/src/i18n/en.ts';
import { lv } from '../../../packages/web/src/i18n/lv.ts';
import { catalogFor, translate } from '../../../packages/web/src/i18n/translate.ts';

const SRC = fileURLToPath(new URL('../../../packages/web/src/', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) && !path.includes(`${join('src', 'i18n')}`) ? [path] : [];
  });
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogs', () => {
  it('every English key exists in Latvian and every Latvian key in English', () => {
    const enKeys = Object.keys(en).sort();
    const lvKeys = Object.keys(lv).sort();
    expect(lvKeys.filter((k) => !(k in en))).toEqual([]);
    expect(enKeys.filter((k) => !(k in lv))).toEqual([]);
  });

  it('no message is empty and each translation keeps the same placeholders', () => {
    for (const [key, text] of Object.entries(en)) {
      const other = (lv as Record<string, string>)[key] ?? '';
      expect(text.trim(), key).not.toBe('');
      expect(other.trim(), key).not.toBe('');
      expect(placeholders(other), key).toEqual(placeholders(text));
    }
  });

  it('every literal key the app looks up exists in the catalog', () => {
    const used = new Set<string>();
    for (const file of sourceFiles(SRC)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) used.add(m[1] as string);
      for (const m of text.matchAll(/label: '([a-z]+\.[a-zA-Z0-9_.]+)'/g)) used.add(m[1] as string);
    }
    expect(used.size).toBeGreaterThan(100);
    expect([...used].filter((k) => !(k in en))).toEqual([]);
  });

  it('the names the UI contract fixes are the English words', () => {
    expect([en['signIn.username'], en['signIn.password'], en['signIn.submit']]).toEqual(['Username', 'Password', 'Sign in']);
    expect([en['agent.ready'], en['agent.pause'], en['agent.signOut'], en['agent.hangUp'], en['agent.save'], en['agent.notes']])
      .toEqual(['Ready', 'Pause', 'Sign out', 'Hang up', 'Save', 'Notes']);
    expect([en['status.ready'], en['status.paused'], en['status.ringing'], en['status.onCall'], en['status.wrapUp']])
      .toEqual(['Ready', 'Paused', 'Ringing', 'On call', 'Wrap-up']);
    expect([en['agent.customer'], en['agent.script'], en['agent.disposition'], en['agent.doNotCall'], en['agent.nextContact'], en['agent.dial'], en['agent.skip']])
      .toEqual(['Customer', 'Script', 'Disposition', 'Do not call', 'Next contact', 'Dial', 'Skip']);
    expect([en['supervisor.agents'], en['supervisor.campaigns'], en['supervisor.pauseCampaign'], en['supervisor.resumeCampaign']])
      .toEqual(['Agents', 'Campaigns', 'Pause campaign', 'Resume campaign']);
    expect([en['admin.campaigns'], en['admin.lists'], en['admin.dnc'], en['admin.users'], en['admin.reports'], en['lists.import'], en['import.file']])
      .toEqual(['Campaigns', 'Lists', 'Do not call', 'Users', 'Reports', 'Import', 'CSV file']);
  });

  it('translate fills placeholders and leaves unknown ones visible', () => {
    expect(translate(catalogFor('en'), 'agent.talkTime', { time: '1:05' })).toBe('Talking 1:05');
    expect(translate(catalogFor('lv'), 'agent.talkTime', { time: '1:05' })).toBe('Saruna 1:05');
    expect(translate(catalogFor('en'), 'agent.talkTime')).toBe('Talking {time}');
  });
});
