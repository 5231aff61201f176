import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { skipUnless } from '../support/require.ts';
import { chromiumAvailable, launchChromium, newPage, screenshot, seriousAxeViolations, signIn } from './support/browser.ts';
import { startDemoServer } from './support/outdial-server.ts';
import type { RunningServer } from './support/outdial-server.ts';

/** `YYYY-MM-DDTHH:mm:ss` in this machine's zone (the browser's too): what a datetime-local field holds. */
function localInputValue(at: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${p(at.getMonth() + 1)}-${p(at.getDate())}T${p(at.getHours())}:${p(at.getMinutes())}:${p(at.getSeconds())}`;
}

async function phoneOf(customer: Locator): Promise<string> {
  const text = (await customer.textContent()) ?? '';
  const phone = /\+\d{10,}/.exec(text)?.[0];
  if (phone === undefined) throw new Error(`no phone in the Customer region: ${text}`);
  return phone;
}

/** Saves "Not interested" for a call that is not the one the test waits for. */
async function dismiss(agent: Page): Promise<void> {
  await agent.getByRole('group', { name: 'Disposition', exact: true }).getByRole('button', { name: 'Not interested', exact: true }).click();
  await agent.getByRole('button', { name: 'Save', exact: true }).click();
  await expect.poll(() => agent.getByRole('status').textContent(), { timeout: 15_000 }).not.toBe('Wrap-up');
}

// The fast simulated carrier: calls are answered within a second and the customer hangs up after ~1.5 s, so the agent
// lands in wrap-up without pressing Hang up.
describe.skipIf(skipUnless(chromiumAvailable, 'Chromium at /usr/bin/chromium'))('personal callback (e2e, fast carrier)', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startDemoServer({ fast: true }), launchChromium()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('agent1 saves a personal callback for a near time; it is listed as theirs and, when due, dialed for them', async () => {
    const { page: agent } = await newPage(browser, server.url);
    await signIn(agent, 'agent1');
    await agent.waitForURL('**/agent');
    const status = agent.getByRole('status');
    const myCallbacks = agent.getByRole('region', { name: 'My callbacks', exact: true });
    await myCallbacks.getByText('No callbacks scheduled for you.', { exact: true }).waitFor();

    await agent.getByRole('button', { name: 'Ready', exact: true }).click();
    await expect.poll(() => status.textContent(), { timeout: 60_000 }).toBe('Wrap-up');
    const customer = agent.getByRole('region', { name: 'Customer', exact: true });
    const phone = await phoneOf(customer);

    const disposition = agent.getByRole('group', { name: 'Disposition', exact: true });
    await disposition.getByRole('button', { name: 'Call back', exact: true }).click();
    // Whole seconds: the date-time field (and so the stored due time) has no milliseconds.
    const due = new Date(Math.floor((Date.now() + 25_000) / 1000) * 1000);
    await agent.getByLabel('Callback date and time', { exact: true }).fill(localInputValue(due));
    // the customer's local time of the callback is shown beside the agent's
    await agent.getByText(/^That is .+ for the customer\.$/).waitFor();
    await agent.getByRole('radio', { name: 'Me (personal callback)', exact: true }).check();
    expect(await agent.getByRole('radio', { name: 'Any agent of the campaign', exact: true }).isChecked()).toBe(false);
    await screenshot(agent, 'agent-callback-wrap-up');
    await agent.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).not.toBe('Wrap-up');

    // listed as the agent's own, with its due time and the customer's time
    const item = myCallbacks.getByRole('listitem').filter({ hasText: phone });
    await item.waitFor({ timeout: 15_000 });
    // (Scheduled until it is due; on a very slow machine the list may first show up after that)
    expect(await item.textContent()).toMatch(/(Scheduled|Due).*for the customer/);
    expect(await seriousAxeViolations(agent)).toEqual([]);
    await screenshot(agent, 'agent-callback-listed');

    // Other calls keep coming meanwhile; once due, the callback is dialed for agent1 (the Customer region shows it).
    const deadline = Date.now() + 120_000;
    for (;;) {
      const state = await status.textContent();
      const shown = (await customer.count()) > 0 ? ((await customer.textContent()) ?? '') : '';
      if (shown.includes(phone)) break;
      if (Date.now() > deadline) throw new Error(`the callback to ${phone} was not offered to agent1 within 2 minutes (state ${state})`);
      if (state === 'Wrap-up') await dismiss(agent);
      else await customer.or(myCallbacks.getByText('Due', { exact: true })).first().waitFor({ timeout: 5_000 }).catch(() => undefined);
    }
    expect(Date.now()).toBeGreaterThanOrEqual(due.getTime());
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toMatch(/^(Ringing|On call|Wrap-up)$/);
    await screenshot(agent, 'agent-callback-offered');

    // Once dispositioned, it is no longer pending: it leaves "My callbacks".
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toMatch(/^(Wrap-up|Ready)$/);
    if ((await status.textContent()) === 'Wrap-up') await dismiss(agent);
    await expect.poll(() => item.count(), { timeout: 15_000 }).toBe(0);
  });

  it('the supervisor sees pending callbacks and gives one to another agent or to the whole campaign', async () => {
    const { page: supervisor } = await newPage(browser, server.url);
    await signIn(supervisor, 'supervisor');
    await supervisor.waitForURL('**/supervisor');
    const table = supervisor.getByRole('table', { name: 'Callbacks', exact: true });
    await table.waitFor();
    for (const name of ['Customer', 'Phone', 'Due', "Customer's local time", 'Campaign', 'Who calls back']) {
      expect(await table.getByRole('columnheader', { name, exact: true }).count(), name).toBe(1);
    }
    // the simulated agents save campaign-wide callbacks as they work: wait for one, then make it personal and back
    const select = table.getByRole('combobox', { name: /^Who calls back / }).first();
    await select.waitFor({ timeout: 120_000 });
    const label = (await select.getAttribute('aria-label')) ?? '';
    const row = table.getByRole('row').filter({ has: supervisor.getByRole('combobox', { name: label, exact: true }) });
    await select.selectOption({ label: 'Alex Agent' });
    await expect.poll(() => row.getByRole('combobox').inputValue(), { timeout: 15_000 }).not.toBe('');
    await screenshot(supervisor, 'supervisor-callbacks');
    expect(await seriousAxeViolations(supervisor)).toEqual([]);
    await row.getByRole('combobox').selectOption({ label: 'Any agent of the campaign' });
    await expect.poll(() => row.getByRole('combobox').inputValue(), { timeout: 15_000 }).toBe('');
  });
});
