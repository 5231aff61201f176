import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { inject } from 'vitest';
import { REPO_ROOT } from './outdial-server.ts';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] as const;
export const chromiumAvailable = existsSync(CHROMIUM_PATH);
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-results');

/**
 * The e2e project's shared Chromium (test/e2e/support/global-setup.ts) when there is one; `close()` then only
 * disconnects, closing this file's contexts. Otherwise (a file run on its own config) a browser of its own.
 */
export function launchChromium(): Promise<Browser> {
  const endpoint = inject('chromiumWsEndpoint');
  if (typeof endpoint === 'string' && endpoint !== '') return chromium.connect(endpoint);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
}

/** A fresh browser context (own cookies) with the app's language preset, at a desktop size. */
export async function newPage(browser: Browser, baseURL: string, locale: 'en' | 'lv' = 'en'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1366, height: 900 }, locale: locale === 'lv' ? 'lv-LV' : 'en-US' });
  await context.addInitScript((l) => {
    if (window.localStorage.getItem('outdial.locale') === null) window.localStorage.setItem('outdial.locale', l);
  }, locale);
  const page = await context.newPage();
  return { context, page };
}

export async function signIn(page: Page, username: string, password = 'demo', labels = { username: 'Username', password: 'Password', submit: 'Sign in' }): Promise<void> {
  await page.goto('/');
  await page.getByLabel(labels.username, { exact: true }).fill(username);
  await page.getByLabel(labels.password, { exact: true }).fill(password);
  await page.getByRole('button', { name: labels.submit, exact: true }).click();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

const AXE_SOURCE = readFileSync(join(REPO_ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/** Runs axe-core in the page; returns the serious and critical violations (WCAG 2.1 A/AA rules and best practice). */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
