/**
 * npm run dev — the whole product on one Linux machine: builds the cloud functions (and rebuilds
 * them on change), starts the Duet local cloud with its data in .emulator/, loads the demo data,
 * and serves the H5 app against it with live reload. Ctrl-C stops everything.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { startEmulator } from '../emulator/src/index';
import { buildFunctions, FunctionBudgetError, overBudget, watchFunctions } from './lib/build-functions';
import { seedDemo } from './lib/seed';

const root = path.resolve(import.meta.dirname, '..');
const cloudPort = Number(process.env.DUET_EMULATOR_PORT ?? 8790);
const h5Port = Number(process.env.DUET_H5_PORT ?? 10086);
const h5Url = `http://127.0.0.1:${h5Port}`;

async function main() {
  const started = Date.now();
  console.log('[dev] building cloud functions…');
  const built = await buildFunctions({ root }).catch((error) => {
    // Over budget is for CI to refuse; the developer still gets a running app, and the warning.
    if (!(error instanceof FunctionBudgetError)) throw error;
    for (const problem of error.problems) console.warn(`[dev] warning: ${problem}`);
    return error.built;
  });
  console.log(`[dev] built ${built.map((f) => f.name).join(', ')}`);

  const emulator = await startEmulator({ projectRoot: root, port: cloudPort, h5Url });
  const watcher = await watchFunctions({
    root,
    onBuilt: (name, ok, fn) => {
      if (!ok) return console.log(`[dev] function ${name} failed to build (see above)`);
      console.log(`[dev] rebuilt function ${name}`);
      for (const problem of fn ? overBudget([fn]) : []) console.warn(`[dev] warning: ${problem}`);
    },
  });

  const seeded = await seedDemo(emulator.url);
  console.log(`[dev] demo data: ${seeded}`);

  const taro: ChildProcess = spawn('npx', ['taro', 'build', '--type', 'h5', '--watch'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DUET_EMULATOR_PORT: String(cloudPort), DUET_H5_PORT: String(h5Port), NODE_ENV: 'development' },
  });

  console.log(`
[dev] ready in ${((Date.now() - started) / 1000).toFixed(1)} s (the H5 app finishes compiling in the background)
  H5 app          ${h5Url}/            (persona switcher in 会员中心; ?persona=bob in the URL also works)
  local cloud     ${emulator.url}/admin  (point any wx-server-sdk process here with TCB_CONTEXT_CNFG)
  control plane   ${emulator.url}/_emu/health   (see emulator/README.md)
  data            ${path.join(root, '.emulator')} (survives restarts; npm run emulator -- --ephemeral for a clean one)
`);

  let stopping = false;
  const stop = async (code = 0) => {
    if (stopping) return;
    stopping = true;
    console.log('\n[dev] stopping…');
    taro.kill('SIGTERM');
    await watcher.dispose();
    await emulator.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  taro.on('exit', (code) => {
    if (!stopping) {
      console.error(`[dev] the H5 build stopped (exit ${code})`);
      void stop(code ?? 1);
    }
  });
}

main().catch((error) => {
  console.error(`[dev] ${error?.stack ?? error}`);
  process.exit(1);
});
