import fs from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/**
 * Chromium for the local cloud's own browser test (the web UI). emulator/ imports nothing of Duet, so not the
 * product's chooser (tests/support/browser.ts): CHROMIUM_PATH, else a system Chromium or Chrome.
 */
const SYSTEM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH || SYSTEM_PATHS.find((file) => fs.existsSync(file));
  if (!executablePath) {
    throw new Error(
      `No Chromium for the web UI test: install one (apt-get install -y chromium) or set CHROMIUM_PATH (looked in ${SYSTEM_PATHS.join(', ')})`,
    );
  }
  // Headless and without the sandbox (CI runs as root); no GPU, no background traffic in a closed network.
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
    ],
  });
}
