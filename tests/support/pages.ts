import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';

/** Where journeys save screenshots when asked (`DUET_SHOTS=tmp/shots`); unset, they save none. */
const SHOTS = process.env.DUET_SHOTS;

/** A screenshot of the page as a reader sees it settle (toasts, sheets and transitions finished). */
export async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.waitForTimeout(700);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

/** Taro H5 keeps earlier pages of the stack in the DOM, hidden: only the visible one counts. */
export function visible(page: Page, testId: string): Locator {
  return page.getByTestId(testId).filter({ visible: true });
}

/** The first match once it is visible; on a timeout, a screenshot of what the page showed instead. */
export async function shown(locator: Locator): Promise<Locator> {
  try {
    await locator.first().waitFor({ state: 'visible', timeout: 30_000 });
  } catch (error) {
    await shot(locator.page(), `failed-${Date.now()}`);
    throw error;
  }
  return locator.first();
}
