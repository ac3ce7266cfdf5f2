import { describe, expect, it } from 'vitest';
import { BASE_ARGS, chooseChromium, mergeArgs, NO_BROWSER_MESSAGE } from '../support/browser';

const npm = async () => ({ executablePath: '/tmp/duet-chromium-1/chromium', args: ['--no-zygote', '--single-process'] });
const none = async () => undefined;
const only =
  (...files: string[]) =>
  (file: string) =>
    files.includes(file);

describe('which Chromium the browser tests launch', () => {
  it('CHROMIUM_PATH first, even with a system one', async () => {
    const chosen = await chooseChromium({
      env: { CHROMIUM_PATH: '/opt/chrome/chrome', PATH: '/usr/bin' },
      isExecutable: only('/opt/chrome/chrome', '/usr/bin/chromium'),
      npmChromium: npm,
    });
    expect(chosen).toMatchObject({ source: 'CHROMIUM_PATH', executablePath: '/opt/chrome/chrome', args: BASE_ARGS });
  });

  it('a CHROMIUM_PATH that is not there is an error, not a quiet fallback', async () => {
    await expect(
      chooseChromium({ env: { CHROMIUM_PATH: '/nope/chrome' }, isExecutable: only('/usr/bin/chromium'), npmChromium: npm }),
    ).rejects.toThrow('CHROMIUM_PATH=/nope/chrome is not an executable file');
  });

  it('then the usual system paths, then PATH', async () => {
    const usual = await chooseChromium({
      env: { PATH: '/usr/local/bin' },
      isExecutable: only('/usr/bin/google-chrome-stable', '/usr/local/bin/chromium'),
      npmChromium: npm,
    });
    expect(usual).toMatchObject({ source: 'system', executablePath: '/usr/bin/google-chrome-stable' });
    const onPath = await chooseChromium({
      env: { PATH: '/snap/bin:/usr/local/bin' },
      isExecutable: only('/usr/local/bin/chromium-browser'),
      npmChromium: npm,
    });
    expect(onPath).toMatchObject({ source: 'system', executablePath: '/usr/local/bin/chromium-browser' });
  });

  it('then the npm one, with its launch flags merged into ours', async () => {
    const chosen = await chooseChromium({ env: { PATH: '/usr/bin' }, isExecutable: only(), npmChromium: npm });
    expect(chosen.source).toBe('npm');
    expect(chosen.executablePath).toBe('/tmp/duet-chromium-1/chromium');
    expect(chosen.args).toEqual([...BASE_ARGS, '--no-zygote']);
  });

  it('DUET_BROWSER_SKIP_SYSTEM=1 passes over the system browser', async () => {
    const chosen = await chooseChromium({
      env: { PATH: '/usr/bin', DUET_BROWSER_SKIP_SYSTEM: '1' },
      isExecutable: only('/usr/bin/chromium'),
      npmChromium: npm,
    });
    expect(chosen.source).toBe('npm');
  });

  it('none at all: says what to install', async () => {
    await expect(chooseChromium({ env: { PATH: '/usr/bin' }, isExecutable: only(), npmChromium: none })).rejects.toThrow(
      NO_BROWSER_MESSAGE,
    );
    expect(NO_BROWSER_MESSAGE).toContain('npm install');
    expect(NO_BROWSER_MESSAGE).toContain('apt-get install -y chromium');
    expect(NO_BROWSER_MESSAGE).toContain('CHROMIUM_PATH');
  });
});

describe('merging the npm Chromium flags with ours', () => {
  it('keeps headless and --no-sandbox, drops what would change the page under test', () => {
    const merged = mergeArgs(BASE_ARGS, [
      '--headless=shell',
      "--headless='shell'",
      '--no-sandbox',
      '--no-zygote',
      '--disable-web-security',
      '--allow-running-insecure-content',
      '--disable-site-isolation-trials',
      '--single-process',
      '--disable-features=IsolateOrigins,site-per-process',
      '--enable-features=SharedArrayBuffer',
      '--use-gl=angle',
      '--use-angle=swiftshader',
      '--in-process-gpu',
      '--disk-cache-size=33554432',
    ]);
    expect(merged.slice(0, BASE_ARGS.length)).toEqual(BASE_ARGS);
    expect(merged.slice(BASE_ARGS.length)).toEqual(['--no-zygote', '--disk-cache-size=33554432']);
    expect(merged.filter((a) => a === '--no-sandbox')).toHaveLength(1);
    expect(merged.filter((a) => a.startsWith('--headless'))).toEqual(['--headless']);
  });
});
