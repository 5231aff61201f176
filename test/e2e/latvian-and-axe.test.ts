import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { skipUnless } from '../support/require.ts';
import { chromiumAvailable, launchChromium, newPage, screenshot, seriousAxeViolations, signIn } from './support/browser.ts';
import { startDemoServer } from './support/outdial-server.ts';
import type { RunningServer } from './support/outdial-server.ts';
import { en } from '../../packages/web/src/i18n/en.ts';
import { lv } from '../../packages/web/src/i18n/lv.ts';

const LV_SIGN_IN = { username: lv['signIn.username'], password: lv['signIn.password'], submit: lv['signIn.submit'] };
const ADMIN_SECTIONS = [
  ['campaigns', 'admin.campaigns'],
  ['lists', 'admin.lists'],
  ['dnc', 'admin.dnc'],
  ['users', 'admin.users'],
  ['reports', 'admin.reports'],
] as const;

/** A catalog key that leaked into the page instead of its text (e.g. "agent.ready"). */
const KEY_PATTERN = new RegExp(`\\b(${[...new Set(Object.keys(en).map((k) => k.split('.')[0]))].join('|')})\\.[a-zA-Z_]+[a-zA-Z0-9_.]*\\b`);

async function visibleText(page: Page): Promise<string> {
  return page.evaluate(() => document.body.innerText);
}

/**
 * The page's own words, without what the app marks as data (`translate="no"`: a campaign's disposition labels in the
 * reports, names), which is in whatever language the admin typed it, so English there is not a missing translation.
 */
async function chromeText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const data = [...document.querySelectorAll<HTMLElement>('[translate="no"]')];
    const before = data.map((el) => el.style.display);
    for (const el of data) el.style.display = 'none';
    const text = document.body.innerText;
    data.forEach((el, i) => { el.style.display = before[i] ?? ''; });
    return text;
  });
}

/** English-only words of the app that must not show on a Latvian page (checked against the lv catalog too). */
const ENGLISH_ONLY = ['Sign out', 'Loading', 'Campaigns', 'Agents', 'Ready', 'Pause', 'Reports', 'Do not call'].filter((w) => !Object.values(lv).some((v) => v.includes(w)));

async function expectLatvian(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.body.innerText.includes('Ielādē…'), null, { timeout: 15_000 });
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('lv');
  const text = await visibleText(page);
  expect(text.match(KEY_PATTERN)?.[0] ?? null).toBeNull();
  const chrome = await chromeText(page);
  for (const word of ENGLISH_ONLY) expect(chrome, `English "${word}" on a Latvian page`).not.toContain(word);
}

describe.skipIf(skipUnless(chromiumAvailable, 'Chromium at /usr/bin/chromium'))('every page in Latvian, and axe-core (e2e)', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    // the server (tens of seconds on a busy machine) and the browser start together
    [server, browser] = await Promise.all([startDemoServer(), launchChromium()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('sign-in, agent desktop, supervisor floor and every admin section render in Latvian with no missing key and no serious axe violation', async () => {
    const { page } = await newPage(browser, server.url, 'lv');
    await page.goto('/');
    await page.getByRole('heading', { name: lv['signIn.title'] }).waitFor();
    await expectLatvian(page);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'lv-sign-in');

    // a failed sign-in shows an alert, in Latvian
    await signIn(page, 'agent1', 'wrong', LV_SIGN_IN);
    await expect.poll(async () => (await page.getByRole('alert').textContent()) ?? '').toBe(lv['signIn.invalid']);

    await signIn(page, 'agent1', 'demo', LV_SIGN_IN);
    await page.waitForURL('**/agent');
    await page.getByRole('button', { name: lv['agent.ready'], exact: true }).waitFor();
    await expectLatvian(page);
    expect(await page.getByRole('status').textContent()).toBe(lv['status.signedOut']);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'lv-agent');

    const { page: sv } = await newPage(browser, server.url, 'lv');
    await signIn(sv, 'supervisor', 'demo', LV_SIGN_IN);
    await sv.waitForURL('**/supervisor');
    await sv.getByRole('table', { name: lv['supervisor.campaigns'], exact: true }).getByRole('row', { name: /Demo campaign/ }).waitFor();
    await sv.getByRole('button', { name: lv['supervisor.pauseCampaign'] }).first().waitFor();
    await expectLatvian(sv);
    expect(await seriousAxeViolations(sv)).toEqual([]);
    await screenshot(sv, 'lv-supervisor');

    const { page: admin } = await newPage(browser, server.url, 'lv');
    await signIn(admin, 'admin', 'demo', LV_SIGN_IN);
    await admin.waitForURL('**/admin**');
    for (const [slug, key] of ADMIN_SECTIONS) {
      await admin.getByRole('link', { name: lv[key], exact: true }).click();
      await admin.waitForURL(`**/admin/${slug}`);
      await admin.getByRole('heading', { level: 1, name: lv[key], exact: true }).waitFor();
      await admin.waitForLoadState('networkidle');
      await expectLatvian(admin);
      expect(await seriousAxeViolations(admin), `axe on /admin/${slug}`).toEqual([]);
      await screenshot(admin, `lv-admin-${slug}`);
    }

    // the language switch goes back to English without a reload
    await admin.getByRole('combobox', { name: lv['common.language'] }).selectOption('en');
    await admin.getByRole('heading', { level: 1, name: 'Reports', exact: true }).waitFor();
    expect(await admin.evaluate(() => document.documentElement.lang)).toBe('en');
  }, 360_000); // eight pages, each checked by axe: minutes on a loaded machine

  it('the admin forms (campaign editor, import wizard, new user) pass axe in English', async () => {
    const { page } = await newPage(browser, server.url, 'en');
    await signIn(page, 'admin');
    await page.waitForURL('**/admin**');
    await page.getByRole('button', { name: 'New campaign', exact: true }).click();
    await page.getByRole('group', { name: 'Dispositions' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();

    // an existing campaign: the segment count, and the compliance engine's verdict on a bad setting
    await page.getByRole('button', { name: 'Edit Demo campaign', exact: true }).click();
    await page.getByLabel('Segment filter', { exact: true }).fill('homeOwner = true');
    await page.getByRole('button', { name: 'Count matching contacts', exact: true }).click();
    await page.getByText(/^[\d,]+ of [\d,]+ contacts match\.$/).waitFor();
    await page.getByLabel('Action of disposition 4', { exact: true }).selectOption('final');
    await page.getByRole('button', { name: 'Save', exact: true }).first().click();
    const invalid = page.getByRole('alert').filter({ hasText: 'The campaign was not saved:' });
    await invalid.waitFor();
    // no disposition records a do-not-call request any more: refused, with the engine's message at the field
    expect(await invalid.textContent()).toContain('Add a disposition with the dnc action');
    expect(await page.getByRole('group', { name: 'Dispositions' }).getByRole('note').textContent()).toContain('Add a disposition with the dnc action');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'admin-campaign-form');
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();

    await page.getByRole('link', { name: 'Lists', exact: true }).click();
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByLabel('CSV file', { exact: true }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Close', exact: true }).click();

    await page.getByRole('link', { name: 'Users', exact: true }).click();
    await page.getByRole('button', { name: 'New user', exact: true }).click();
    await page.getByLabel('Display name', { exact: true }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
  });
});
