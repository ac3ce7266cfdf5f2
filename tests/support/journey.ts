import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './browser';
import { startCloud, type TestCloud } from './cloud';

export interface Journey {
  readonly cloud: TestCloud;
  readonly browser: Browser;
  /** A fresh phone-sized page (390×844) on the H5 app at `#/<route>`; close it with `page.context().close()`. */
  open(route: string): Promise<Page>;
}

/** The built H5 app served by a local cloud, and a browser, for the enclosing `describe`. */
export function useJourney(): Journey {
  let cloud: TestCloud | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    cloud = await startCloud({ h5Dir: 'dist-h5' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await cloud?.stop();
  });
  const live = <T>(value: T | undefined): T => {
    if (!value) throw new Error('the journey starts in beforeAll: use it inside tests and hooks');
    return value;
  };
  return {
    get cloud() {
      return live(cloud);
    },
    get browser() {
      return live(browser);
    },
    async open(route: string) {
      const context = await live(browser).newContext({ viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      await page.goto(`${live(cloud).url}/#/${route}`);
      return page;
    },
  };
}
