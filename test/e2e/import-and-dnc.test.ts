import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { skipUnless } from '../support/require.ts';
import { chromiumAvailable, launchChromium, newPage, screenshot, seriousAxeViolations, signIn } from './support/browser.ts';
import { startDemoServer } from './support/outdial-server.ts';
import type { RunningServer } from './support/outdial-server.ts';

const CSV = [
  'Phone,First Name,Last Name,State,Home Owner',
  '+13035550150,Ilze,Ozola,CO,yes',
  '+13035550151,Janis,Berzins,CO,no',
  '(303) 555-0152,Anna,Kalnina,CO,yes',
  '+13035550150,Ilze,Ozola,CO,yes',
  'not-a-phone,Bad,Row,CO,no',
].join('\n') + '\n';

describe.skipIf(skipUnless(chromiumAvailable, 'Chromium at /usr/bin/chromium'))('import wizard and do-not-call (e2e)', () => {
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

  it('imports a CSV through the wizard: mapping with a preview, progress bar, summary of imported, duplicate and rejected rows', async () => {
    const { page } = await newPage(browser, server.url);
    await signIn(page, 'admin');
    await page.waitForURL('**/admin**');
    await page.getByRole('link', { name: 'Lists', exact: true }).click();
    await page.getByRole('button', { name: 'New list', exact: true }).click();
    await page.getByLabel('Name', { exact: true }).fill('E2E vendor list');
    await page.getByLabel('Vendor', { exact: true }).fill('E2E Leads');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: 'E2E vendor list' }).waitFor();

    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('CSV file', { exact: true }).setInputFiles({ name: 'leads.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await dialog.getByRole('button', { name: 'Next', exact: true }).click();

    const preview = dialog.getByRole('table', { name: 'The first rows of the file' });
    await preview.waitFor();
    expect(await preview.getByRole('row').count()).toBe(6); // header + 5 rows (the preview shows up to five)
    expect(await preview.textContent()).toContain('Kalnina');
    expect(await dialog.getByLabel('Use of column Phone').inputValue()).toBe('phone');
    expect(await dialog.getByLabel('Use of column First Name').inputValue()).toBe('firstName');
    expect(await dialog.getByLabel('Use of column State').inputValue()).toBe('region');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, 'import-mapping');

    await dialog.getByRole('button', { name: 'Start import', exact: true }).click();
    const progress = dialog.getByRole('progressbar', { name: 'Import progress' });
    await progress.waitFor();
    const summary = dialog.getByRole('region', { name: 'Summary' });
    await summary.waitFor({ timeout: 60_000 });
    expect(await progress.getAttribute('aria-valuenow')).toBe('100');
    const values = Object.fromEntries(
      await summary.locator('dl > div').evaluateAll((divs) => divs.map((d) => [d.querySelector('dt')?.textContent ?? '', d.querySelector('dd')?.textContent ?? ''])),
    ) as Record<string, string>;
    expect(values).toEqual({ Rows: '5', Imported: '3', Duplicates: '1', Rejected: '1' });
    await dialog.getByRole('link', { name: 'Download rejected rows' }).waitFor();
    await screenshot(page, 'import-summary');
    await dialog.getByRole('button', { name: 'Close', exact: true }).first().click();

    await page.getByLabel('Search contacts').fill('303');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const contacts = page.getByRole('table', { name: 'Contacts' });
    await contacts.getByRole('row', { name: /Anna Kalnina/ }).waitFor();
    expect(await contacts.textContent()).toContain('+13035550152');
  });

  it('"Do not call" on the call screen ends the call, lists the number and the gate refuses to dial it again', async () => {
    const { page: agent } = await newPage(browser, server.url);
    await signIn(agent, 'agent1');
    await agent.waitForURL('**/agent');
    await agent.getByRole('button', { name: 'Ready', exact: true }).click();
    const customer = agent.getByRole('region', { name: 'Customer', exact: true });
    const status = agent.getByRole('status');
    // take calls until one goes to a US number (manual dial is checked on the North American plan)
    let phone = '';
    for (let call = 0; call < 6 && !phone.startsWith('+1'); call++) {
      await customer.waitFor({ timeout: 120_000 });
      phone = ((await customer.locator('.customer-phone').textContent()) ?? '').trim();
      if (phone.startsWith('+1')) break;
      if (await agent.getByRole('button', { name: 'Hang up', exact: true }).isVisible()) await agent.getByRole('button', { name: 'Hang up', exact: true }).click();
      await agent.getByRole('group', { name: 'Disposition' }).getByRole('button', { name: 'Not interested', exact: true }).click();
      await agent.getByRole('button', { name: 'Save', exact: true }).click();
      await customer.waitFor({ state: 'detached', timeout: 15_000 });
    }
    expect(phone).toMatch(/^\+1\d{10}$/);
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toBe('On call');

    await agent.getByRole('button', { name: 'Do not call', exact: true }).click();
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).not.toMatch(/^(On call|Wrap-up)$/);

    // stop taking calls, then try to dial the number by hand: the compliance gate refuses it, with the reason
    await expect.poll(async () => {
      if ((await status.textContent()) === 'Paused') return 'Paused';
      if (await agent.getByRole('button', { name: 'Pause', exact: true }).isEnabled()) await agent.getByRole('button', { name: 'Pause', exact: true }).click();
      else if (await agent.getByRole('button', { name: 'Hang up', exact: true }).isVisible()) await agent.getByRole('button', { name: 'Hang up', exact: true }).click();
      else if (await agent.getByRole('group', { name: 'Disposition' }).isVisible()) {
        await agent.getByRole('group', { name: 'Disposition' }).getByRole('button', { name: 'Not interested', exact: true }).click();
        await agent.getByRole('button', { name: 'Save', exact: true }).click();
      }
      return status.textContent();
    }, { timeout: 90_000, interval: 1000 }).toBe('Paused');
    await agent.getByLabel('Phone number', { exact: true }).fill(phone);
    await agent.getByRole('button', { name: 'Call number', exact: true }).click();
    const refusal = agent.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('The number is on our do-not-call list.');
    expect(await status.textContent()).toBe('Paused');
    await screenshot(agent, 'agent-dnc-refused');

    // the admin finds the entry in the do-not-call list
    const { page: admin } = await newPage(browser, server.url);
    await signIn(admin, 'admin');
    await admin.waitForURL('**/admin**');
    await admin.getByRole('link', { name: 'Do not call', exact: true }).click();
    await admin.getByLabel('Search numbers').fill(phone);
    await admin.getByRole('button', { name: 'Search', exact: true }).click();
    await admin.getByRole('table', { name: 'Do-not-call entries' }).getByRole('row', { name: new RegExp(phone.replace('+', '\\+')) }).waitFor();
    await screenshot(admin, 'admin-dnc');

    // a state list is loaded with its state: the file form asks for the state when the list is a state list
    const loadForm = admin.getByRole('form', { name: 'Load a file', exact: true });
    expect(await loadForm.getByLabel('State (two letters)', { exact: true }).count()).toBe(0);
    await loadForm.getByLabel('Do-not-call file', { exact: true }).setInputFiles({ name: 'tx-state-list.txt', mimeType: 'text/plain', buffer: Buffer.from('+12145550187\n') });
    // (the select's name includes its chosen option: "List Internal")
    await loadForm.getByRole('combobox', { name: /^List\b/ }).selectOption('state');
    await loadForm.getByLabel('State (two letters)', { exact: true }).fill('tx');
    await loadForm.getByRole('button', { name: 'Load file', exact: true }).click();
    await admin.getByRole('status').filter({ hasText: 'The file was loaded.' }).waitFor({ timeout: 30_000 });
    await admin.getByLabel('Search numbers').fill('+12145550187');
    await admin.getByRole('button', { name: 'Search', exact: true }).click();
    const stateRow = admin.getByRole('table', { name: 'Do-not-call entries' }).getByRole('row', { name: /\+12145550187/ });
    await stateRow.waitFor();
    expect(await stateRow.textContent()).toContain('State (TX)');
    await screenshot(admin, 'admin-dnc-state-list');
  });
});
