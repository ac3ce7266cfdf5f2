/**
 * npm run dev — the whole product on one Linux machine: builds the cloud functions (and rebuilds
 * them on change), starts the Duet local cloud with its data in .emulator/, loads the demo data,
 * and serves the H5 app against it with live reload. Ctrl-C stops everything.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createCloudClient, startEmulator } from '../emulator/src/index';
import { DEMO_MP_ARTICLES } from '../core/funnel/demo-mp-articles';
import { overBudget, watchFunctions } from './lib/build-functions';
import { taroEnv, waitForHttp } from './lib/dev-support';
import { seedDemo } from './lib/seed';

const root = path.resolve(import.meta.dirname, '..');
const cloudPort = Number(process.env.DUET_EMULATOR_PORT ?? 8790);
const h5Port = Number(process.env.DUET_H5_PORT ?? 10086);
const h5Url = `http://127.0.0.1:${h5Port}`;

async function main() {
  const started = Date.now();
  console.log('[dev] building cloud functions…');
  const watcher = await watchFunctions({
    root,
    onBuilt: ({ name, ok, built, errors }) => {
      if (!ok) return reportFailure(name, errors);
      console.log(`[dev] rebuilt function ${name}`);
      // Over budget is for CI to refuse; the developer still gets a running app, and the warning.
      for (const problem of built ? overBudget([built]) : []) console.warn(`[dev] warning: ${problem}`);
    },
  });
  const built = watcher.initial.flatMap((b) => (b.built ? [b.built] : []));
  console.log(`[dev] built ${built.map((f) => f.name).join(', ')}`);
  for (const failed of watcher.initial.filter((b) => !b.ok)) reportFailure(failed.name, failed.errors);
  for (const problem of overBudget(built)) console.warn(`[dev] warning: ${problem}`);

  const emulator = await startEmulator({ projectRoot: root, port: cloudPort, h5Url });
  const seeded = await seedDemo(emulator.url);
  console.log(`[dev] demo data: ${seeded}`);
  console.log(`[dev] 公众号 statistics: ${await loadDemoArticleStats(emulator.url)}`);

  // Taro's own bin, not through npx: killing npx leaves the build running, holding the H5 port.
  const taroBin = createRequire(import.meta.url).resolve('@tarojs/cli/bin/taro');
  console.log(`[dev] compiling the H5 app (about a minute the first time)…`);
  const taro: ChildProcess = spawn(process.execPath, [taroBin, 'build', '--type', 'h5', '--watch'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: taroEnv(process.env, Boolean(process.stdout.isTTY), {
      DUET_EMULATOR_PORT: String(cloudPort),
      DUET_H5_PORT: String(h5Port),
      NODE_ENV: 'development',
    }),
  });

  let stopping = false;
  const taroGone = new AbortController();
  const stop = async (code = 0) => {
    if (stopping) return;
    stopping = true;
    console.log('\n[dev] stopping…');
    taroGone.abort();
    taro.kill('SIGTERM');
    await watcher.dispose();
    await emulator.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  taro.on('exit', (code) => {
    taroGone.abort();
    if (!stopping) {
      console.error(`[dev] the H5 build stopped (exit ${code})`);
      void stop(code ?? 1);
    }
  });

  // "ready" means a person can open the link now: the dev server serves the compiled app.
  try {
    await waitForHttp(`${h5Url}/`, { signal: taroGone.signal });
  } catch (error) {
    if (stopping) return;
    console.error(`[dev] the H5 app never answered: ${(error as Error).message}`);
    return stop(1);
  }
  console.log(`
[dev] ready in ${((Date.now() - started) / 1000).toFixed(1)} s
  H5 app          ${h5Url}/            (persona switcher in 会员中心; ?persona=bob in the URL also works)
  local cloud     ${emulator.url}/admin  (point any wx-server-sdk process here with TCB_CONTEXT_CNFG)
  control plane   ${emulator.url}/_emu/health   (see emulator/README.md)
  web UI          ${emulator.url}/_emu/ui/     (data, functions, timers, outbox, payments)
  data            ${path.join(root, '.emulator')} (survives restarts; npm run emulator -- --ephemeral for a clean one)
`);
}

/**
 * The demo articles' 公众号 numbers into the local cloud's 公众号 fake (the datacube article statistics
 * answer from them), so `npm run admin -- pullDatacube` and `articleReport` have reads to show. Set by
 * msgid: a later start replaces them with the same numbers.
 */
async function loadDemoArticleStats(url: string): Promise<string> {
  const { articles } = await createCloudClient(url).mp.setArticles(
    DEMO_MP_ARTICLES.map(({ article: _article, ...published }) => published),
  );
  return articles.map((a) => `${a.msgid} (${a.publishedAt}, ${Object.keys(a.days).length} days)`).join(', ');
}

function reportFailure(name: string, errors: string[] = []) {
  console.log(`[dev] function ${name} failed to build:${errors.map((e) => `\n  ${e}`).join('') || ' (no message)'}`);
}

main().catch((error) => {
  console.error(`[dev] ${error?.stack ?? error}`);
  process.exit(1);
});
