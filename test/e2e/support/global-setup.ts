import { chromium } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { CHROMIUM_ARGS, CHROMIUM_PATH, chromiumAvailable } from './browser.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared Chromium's endpoint ('' when there is none: each file then launches its own). */
    chromiumWsEndpoint: string;
  }
}

/**
 * One Chromium for every e2e file, launched once before the first: a file connects to it (`launchChromium`) and still
 * opens its own browser contexts (own cookies and storage) against its own demo server, so files stay independent.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!chromiumAvailable) {
    project.provide('chromiumWsEndpoint', '');
    return async () => undefined;
  }
  const browserServer = await chromium.launchServer({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
  project.provide('chromiumWsEndpoint', browserServer.wsEndpoint());
  return async () => {
    await browserServer.close();
  };
}
