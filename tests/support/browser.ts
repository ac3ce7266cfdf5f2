import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';

/** Flags this closed network needs (see DESIGN.md); headless and --no-sandbox because CI runs as root. */
export const BASE_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Where Debian, Ubuntu and Google's packages put the browser, before asking PATH. */
export const SYSTEM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];
const SYSTEM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

export type BrowserSource = 'CHROMIUM_PATH' | 'system' | 'npm';

export interface ChosenBrowser {
  source: BrowserSource;
  executablePath: string;
  args: string[];
  /** Extra environment for the browser process. */
  env?: Record<string, string>;
}

export interface NpmChromium {
  executablePath: string;
  args: string[];
  env?: Record<string, string>;
}

export interface ChooseOptions {
  env?: Record<string, string | undefined>;
  isExecutable?: (file: string) => boolean;
  /** The Chromium that `npm install` brought, or undefined when the package is missing. */
  npmChromium?: () => Promise<NpmChromium | undefined>;
}

export const NO_BROWSER_MESSAGE =
  'No Chromium for the browser tests. Any one of these fixes it: run `npm install` (it brings @sparticuz/chromium, a Chromium ' +
  'inside an npm package); or `apt-get install -y chromium`; or set CHROMIUM_PATH to a Chromium or Chrome executable.';

/**
 * CHROMIUM_PATH, then a system Chromium or Chrome, then the npm one, so `npm install && npm test`
 * works on a machine without apt's Chromium. DUET_BROWSER_SKIP_SYSTEM=1 skips the system browser,
 * to exercise the npm one on a machine that has both.
 */
export async function chooseChromium(options: ChooseOptions = {}): Promise<ChosenBrowser> {
  const env = options.env ?? process.env;
  const isExecutable = options.isExecutable ?? executable;
  if (env.CHROMIUM_PATH) {
    // Someone asked for this browser: falling back to another would hide their typo.
    if (!isExecutable(env.CHROMIUM_PATH)) throw new Error(`CHROMIUM_PATH=${env.CHROMIUM_PATH} is not an executable file`);
    return { source: 'CHROMIUM_PATH', executablePath: env.CHROMIUM_PATH, args: BASE_ARGS };
  }
  if (env.DUET_BROWSER_SKIP_SYSTEM !== '1') {
    const onPath = (env.PATH ?? '')
      .split(path.delimiter)
      .filter(Boolean)
      .flatMap((dir) => SYSTEM_NAMES.map((name) => path.join(dir, name)));
    const found = [...SYSTEM_PATHS, ...onPath].find(isExecutable);
    if (found) return { source: 'system', executablePath: found, args: BASE_ARGS };
  }
  const fromNpm = await (options.npmChromium ?? sparticuzChromium)();
  if (fromNpm) return { source: 'npm', executablePath: fromNpm.executablePath, args: mergeArgs(BASE_ARGS, fromNpm.args), env: fromNpm.env };
  throw new Error(NO_BROWSER_MESSAGE);
}

/**
 * Ours, plus the package's flags that concern how its build starts. Dropped: flags that change what
 * the app under test may do (web security, site isolation, features), since a test passing only
 * without CORS proves nothing; GPU flags, since ours turn the GPU off; single-process, since one
 * crashed page would take the other persona's context down with it; and its own headless mode.
 */
export function mergeArgs(ours: string[], theirs: string[]): string[] {
  const dropped =
    /^--(disable-web-security|allow-running-insecure-content|disable-site-isolation-trials|single-process|headless|disable-features|enable-features|use-gl|use-angle|enable-unsafe-swiftshader|ignore-gpu-blocklist|in-process-gpu|disable-webgl)(=|$)/;
  const switchName = (arg: string) => arg.split('=')[0];
  const have = new Set(ours.map(switchName));
  return [...ours, ...theirs.filter((arg) => !dropped.test(arg) && !have.has(switchName(arg)))];
}

function executable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * @sparticuz/chromium unpacks into os.tmpdir() and reuses whatever `chromium` it finds there, of
 * any version, even half-written by a concurrent run. So it unpacks into a fresh folder that is then
 * renamed to one named after the package version: a finished unpack appears at once or not at all.
 */
async function sparticuzChromium(): Promise<NpmChromium | undefined> {
  const require = createRequire(import.meta.url);
  let entry: string;
  try {
    entry = require.resolve('@sparticuz/chromium');
  } catch {
    return undefined;
  }
  const pkgJson = path.join(path.dirname(entry), '..', 'package.json');
  const { version } = JSON.parse(fs.readFileSync(pkgJson, 'utf8')) as { version: string };
  const { default: Chromium } = await import('@sparticuz/chromium');
  const dir = path.join(os.tmpdir(), `duet-chromium-${version}`);
  const binary = path.join(dir, 'chromium');
  if (!executable(binary)) {
    const staging = fs.mkdtempSync(`${dir}.partial-`);
    const tmpdir = process.env.TMPDIR;
    process.env.TMPDIR = staging;
    try {
      await Chromium.executablePath();
    } finally {
      if (tmpdir === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmpdir;
    }
    // Its fonts.conf names /tmp/fonts; ours names where the fonts are now.
    fs.writeFileSync(
      path.join(staging, 'fonts.conf'),
      `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig><dir>${path.join(dir, 'fonts')}</dir></fontconfig>\n`,
    );
    try {
      fs.renameSync(staging, dir);
    } catch {
      // Another run finished first; its copy is as good as ours.
      fs.rmSync(staging, { recursive: true, force: true });
    }
  }
  // A bare machine has no fontconfig setup at all; the package's Open Sans keeps Chromium quiet there.
  const env = fs.existsSync('/etc/fonts/fonts.conf') ? undefined : { FONTCONFIG_FILE: path.join(dir, 'fonts.conf') };
  return { executablePath: binary, args: Chromium.args, env };
}

let announced = false;

/** Headless Chromium, from wherever chooseChromium finds one. */
export async function launchChromium(): Promise<Browser> {
  const chosen = await chooseChromium();
  if (!announced) {
    announced = true;
    process.stderr.write(`[browser] ${chosen.source}: ${chosen.executablePath}\n`);
  }
  return chromium.launch({
    executablePath: chosen.executablePath,
    headless: true,
    args: chosen.args,
    env: chosen.env ? { ...process.env, ...chosen.env } : undefined,
  });
}
