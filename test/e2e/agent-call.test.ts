import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { skipUnless } from '../support/require.ts';
import { chromiumAvailable, launchChromium, newPage, screenshot, seriousAxeViolations, signIn } from './support/browser.ts';
import { startDemoServer } from './support/outdial-server.ts';
import type { RunningServer } from './support/outdial-server.ts';

const CALL_WAIT_MS = 120_000;

describe.skipIf(skipUnless(chromiumAvailable, 'Chromium at /usr/bin/chromium'))('agent takes a call (e2e)', () => {
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

  it('agent1 goes Ready, takes a simulated call, chooses Sale; the supervisor sees it live and in the reports', async () => {
    // the admin takes agent1 off the practice campaign, so the call is a real one that reports count
    const { page: admin } = await newPage(browser, server.url);
    await signIn(admin, 'admin');
    await admin.waitForURL('**/admin**');
    await admin.getByRole('link', { name: 'Users', exact: true }).click();
    await admin.getByRole('button', { name: 'Edit user agent1', exact: true }).click();
    await admin.getByLabel('Practice campaign (Training)', { exact: true }).uncheck();
    await admin.getByRole('button', { name: 'Save', exact: true }).click();
    await admin.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const usersRow = admin.getByRole('table', { name: 'Users', exact: true }).getByRole('row', { name: /agent1/ });
    await expect.poll(() => usersRow.textContent()).not.toContain('Practice campaign');
    expect(await seriousAxeViolations(admin)).toEqual([]);

    const { page: agent } = await newPage(browser, server.url);
    await signIn(agent, 'agent1');
    await agent.waitForURL('**/agent');
    const status = agent.getByRole('status');
    await expect.poll(() => status.textContent()).toBe('Signed out');
    expect(await seriousAxeViolations(agent)).toEqual([]);
    await screenshot(agent, 'agent-signed-out');

    // the supervisor watches the floor in another browser context while the agent works
    const { page: supervisor } = await newPage(browser, server.url);
    await signIn(supervisor, 'supervisor');
    await supervisor.waitForURL('**/supervisor');
    const agentsTable = supervisor.getByRole('table', { name: 'Agents', exact: true });
    const campaignsTable = supervisor.getByRole('table', { name: 'Campaigns', exact: true });
    await campaignsTable.getByRole('row', { name: /Demo campaign/ }).waitFor();
    for (const name of ['Agent', 'State', 'Time in state', 'Campaign']) {
      expect(await agentsTable.getByRole('columnheader', { name, exact: true }).count(), name).toBe(1);
    }
    for (const name of ['Campaign', 'Status', 'Dial level', 'Abandon rate', 'Calls', 'Answered', 'Abandoned']) {
      expect(await campaignsTable.getByRole('columnheader', { name, exact: true }).count(), name).toBe(1);
    }

    await agent.getByRole('button', { name: 'Ready', exact: true }).click();
    await expect.poll(() => status.textContent()).toMatch(/^(Ready|Ringing|On call)$/);
    // the agent appears on the floor through the event stream (no reload of the supervisor page)
    const agentRow = agentsTable.getByRole('row', { name: /Alex Agent/ });
    await agentRow.waitFor({ timeout: 30_000 });
    // from here on the floor moves by events only: the page must not fetch the floor again (no polling)
    let floorFetches = 0;
    supervisor.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/v1/floor') floorFetches++;
    });

    await agent.getByRole('region', { name: 'Customer', exact: true }).waitFor({ timeout: CALL_WAIT_MS });
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toBe('On call');
    const customer = agent.getByRole('region', { name: 'Customer', exact: true });
    const customerText = (await customer.textContent()) ?? '';
    expect(customerText).toMatch(/\+\d{10,}/);
    expect(customerText).toContain('Home owner');
    const script = (await agent.getByRole('region', { name: 'Script', exact: true }).textContent()) ?? '';
    expect(script).not.toContain('{{');
    expect(script).toContain('Alex Agent');
    // every demo contact has a city, and the screen pop carries it into the script and the customer panel
    expect(script).toMatch(/assessments in [A-Z][^.]+\./);
    expect(customerText).not.toMatch(/City\s*—/);
    await expect.poll(() => agentRow.textContent(), { timeout: 15_000 }).toContain('On call');
    expect(await seriousAxeViolations(agent)).toEqual([]);
    await screenshot(agent, 'agent-on-call');

    await agent.getByRole('button', { name: 'Hang up', exact: true }).click();
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toBe('Wrap-up');
    const disposition = agent.getByRole('group', { name: 'Disposition', exact: true });
    for (const label of ['Sale', 'Not interested', 'Call back', 'Do not call']) {
      await disposition.getByRole('button', { name: label, exact: true }).waitFor();
    }
    await disposition.getByRole('button', { name: 'Call back', exact: true }).click();
    await agent.getByLabel('Callback date and time').waitFor();
    await disposition.getByRole('button', { name: 'Sale', exact: true }).click();
    await agent.getByLabel('Notes', { exact: true }).fill('Signed up for the assessment');
    await screenshot(agent, 'agent-wrap-up');
    await agent.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).not.toBe('Wrap-up');
    // the sale was stored: the agent is back on the floor and the supervisor's campaign row counts the answer
    await screenshot(supervisor, 'supervisor-floor');
    expect(floorFetches).toBe(0);
    const campaignRowText = (await campaignsTable.getByRole('row', { name: /Demo campaign/ }).textContent()) ?? '';
    expect(campaignRowText).toMatch(/Running|Paused/);
    expect(await seriousAxeViolations(supervisor)).toEqual([]);

    // the reports count the sale for agent1
    await admin.getByRole('link', { name: 'Reports', exact: true }).click();
    const agentsReport = admin.getByRole('table', { name: 'Agent performance', exact: true });
    const row = agentsReport.getByRole('row', { name: /Alex Agent/ });
    await row.waitFor({ timeout: 15_000 });
    const cells = await row.getByRole('cell').allTextContents();
    // columns: Calls, Talk time, Average talk, Dispositions, Sales, Conversion
    expect(Number(cells[4])).toBeGreaterThanOrEqual(1);
    const dispositionsReport = admin.getByRole('table', { name: 'Dispositions', exact: true });
    await dispositionsReport.getByRole('row', { name: /Sale/ }).waitFor();
    expect(await seriousAxeViolations(admin)).toEqual([]);
    await screenshot(admin, 'admin-reports');
  });
});
