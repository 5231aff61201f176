import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { skipUnless } from '../support/require.ts';
import { chromiumAvailable, launchChromium, newPage, screenshot, seriousAxeViolations, signIn } from './support/browser.ts';
import { startDemoServer } from './support/outdial-server.ts';
import type { RunningServer } from './support/outdial-server.ts';

describe.skipIf(skipUnless(chromiumAvailable, 'Chromium at /usr/bin/chromium'))('supervisor controls, preview mode, training mode, shortcuts (e2e)', () => {
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

  it('the supervisor pauses, resumes and switches the practice campaign to preview; agent1 previews, dials and saves by keyboard; reports leave the practice call out', async () => {
    // agent1 works the practice campaign only
    const { page: admin } = await newPage(browser, server.url);
    await signIn(admin, 'admin');
    await admin.waitForURL('**/admin**');
    await admin.getByRole('link', { name: 'Users', exact: true }).click();
    await admin.getByRole('button', { name: 'Edit user agent1', exact: true }).click();
    await admin.getByLabel('Demo campaign', { exact: true }).uncheck();
    await admin.getByRole('button', { name: 'Save', exact: true }).click();
    await admin.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

    const { page: sv } = await newPage(browser, server.url);
    await signIn(sv, 'supervisor');
    await sv.waitForURL('**/supervisor');
    const row = sv.getByRole('table', { name: 'Campaigns', exact: true }).getByRole('row', { name: /Practice campaign/ });
    await row.waitFor();
    await row.getByRole('button', { name: 'Pause campaign', exact: true }).click();
    await expect.poll(() => row.getByRole('cell').nth(0).textContent()).toBe('Paused');
    await row.getByRole('button', { name: 'Resume campaign', exact: true }).click();
    await expect.poll(() => row.getByRole('cell').nth(0).textContent()).toBe('Running');
    await row.getByLabel('Dial mode of Practice campaign').selectOption('preview');
    await expect.poll(() => row.getByLabel('Dial mode of Practice campaign').inputValue()).toBe('preview');
    await row.getByLabel('Abandon target of Practice campaign in percent').fill('2,5');
    await row.getByRole('button', { name: 'Set', exact: true }).click();
    await expect.poll(() => row.getByLabel('Abandon target of Practice campaign in percent').inputValue()).toBe('2.5');

    const { page: agent } = await newPage(browser, server.url);
    await signIn(agent, 'agent1');
    await agent.waitForURL('**/agent');
    await agent.getByText('Training mode: practice calls on the simulated carrier.').waitFor();
    const status = agent.getByRole('status');
    await agent.getByRole('button', { name: 'Ready', exact: true }).waitFor();
    await agent.keyboard.press('Alt+KeyR');
    await expect.poll(() => status.textContent()).toBe('Ready');

    const next = agent.getByRole('region', { name: 'Next contact', exact: true });
    const customer = agent.getByRole('region', { name: 'Customer', exact: true });
    let previewShot = false;
    // not every dial is answered on the simulated carrier: preview and dial until a call connects
    await expect.poll(async () => {
      if (await customer.isVisible()) return (await status.textContent()) ?? '';
      if (await next.getByRole('button', { name: 'Dial', exact: true }).isVisible()) {
        if (!previewShot) {
          expect(await next.textContent()).toMatch(/\+\d{10,}/);
          await next.getByRole('button', { name: 'Skip', exact: true }).waitFor();
          expect(await seriousAxeViolations(agent)).toEqual([]);
          await screenshot(agent, 'agent-preview');
          previewShot = true;
        }
        await next.getByRole('button', { name: 'Dial', exact: true }).click();
      } else if (await next.getByRole('button', { name: 'Get next contact', exact: true }).isEnabled().catch(() => false)) {
        await next.getByRole('button', { name: 'Get next contact', exact: true }).click();
      }
      return (await status.textContent()) ?? '';
    }, { timeout: 120_000, interval: 1000 }).toBe('On call').finally(() => screenshot(agent, 'agent-preview-call'));
    expect(previewShot).toBe(true);

    await agent.keyboard.press('Alt+KeyH');
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toBe('Wrap-up');
    await agent.keyboard.press('Alt+Digit1');
    expect(await agent.getByRole('group', { name: 'Disposition' }).getByRole('button', { name: 'Sale', exact: true }).getAttribute('aria-pressed')).toBe('true');
    await agent.keyboard.press('Alt+KeyS');
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).not.toBe('Wrap-up');

    // the practice sale is kept out of reports, while the simulated agents' real calls are in
    await admin.getByRole('link', { name: 'Reports', exact: true }).click();
    const agentsReport = admin.getByRole('table', { name: 'Agent performance', exact: true });
    await expect.poll(async () => {
      await admin.getByRole('button', { name: 'Refresh', exact: true }).click();
      await admin.waitForLoadState('networkidle');
      return (await agentsReport.getByRole('row').allTextContents()).join('\n');
    }, { timeout: 90_000, interval: 3000 }).toMatch(/Bea Bot|Cal Bot/);
    expect((await agentsReport.getByRole('row').allTextContents()).join('\n')).not.toContain('Alex Agent');
    const vendors = await admin.getByRole('table', { name: 'List-vendor quality', exact: true }).getByRole('row', { name: /Practice list/ }).textContent();
    expect(vendors).toMatch(/Practice list\s*training\s*200/);
  });
});
