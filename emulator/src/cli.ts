/**
 * The Duet local cloud from the command line (`npm run emulator -- [options]`).
 *
 *   tsx emulator/src/cli.ts [--ephemeral] [--port N] [--host H] [--no-triggers] [--functions DIR]
 *                           [--data DIR] [--quiet]
 *   tsx emulator/src/cli.ts exec [options] -- <command...>
 *
 * `exec` starts an ephemeral local cloud (on a free port unless --port is given), runs the command
 * with DUET_EMULATOR_URL / DUET_EMULATOR_PORT set, waits for running invocations and triggers,
 * stops, and exits with the command's exit code.
 */
import { spawn } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import { assertNoRealCredentials, type EmulatorOptions, type RunningEmulator, startEmulator } from './index';

const USAGE = `usage:
  emulator [--ephemeral] [--port N] [--host H] [--no-triggers] [--functions DIR] [--data DIR] [--quiet]
  emulator exec [same options] -- <command...>

  --ephemeral      keep everything in memory (default: persistent, in <project>/.emulator)
  --port N         listen on N (default: DUET_EMULATOR_PORT, else 8790; exec: a free port)
  --host H         listen on H instead of 127.0.0.1 (not loopback: anyone who can reach it owns it)
  --no-triggers    timer triggers fire only on demand (POST /_emu/triggers/<fn>/fire)
  --functions DIR  folder of built functions (default: build/cloudfunctions)
  --data DIR       where persistent data lives (default: .emulator)
  --quiet          no request or function logs`;

export interface CliArgs {
  exec: boolean;
  command: string[];
  options: Partial<EmulatorOptions>;
  help: boolean;
}

export function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = { exec: false, command: [], options: {}, help: false };
  let i = 0;
  if (argv[0] === 'exec') {
    args.exec = true;
    i = 1;
  } else if (argv[0] === 'start') {
    i = 1;
  }
  const value = (flag: string): string => {
    const next = argv[++i];
    if (next === undefined || next.startsWith('--')) throw new Error(`${flag} needs a value`);
    return next;
  };
  for (; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const take = () => inline ?? value(flag);
    switch (flag) {
      case '--':
        args.command = argv.slice(i + 1);
        i = argv.length;
        break;
      case '--ephemeral':
        args.options.ephemeral = true;
        break;
      case '--port': {
        const port = Number(take());
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number`);
        args.options.port = port;
        break;
      }
      case '--host':
        args.options.host = take();
        break;
      case '--no-triggers':
        args.options.triggers = false;
        break;
      case '--functions':
        args.options.functionsDir = take();
        break;
      case '--data':
        args.options.dataDir = take();
        break;
      case '--quiet':
        args.options.quiet = true;
        break;
      case '--help':
      case '-h':
        args.help = true;
        break;
      default:
        throw new Error(`unknown argument ${arg}`);
    }
  }
  if (args.exec) {
    if (args.command.length === 0) throw new Error('exec needs a command after --');
    args.options.ephemeral = true;
    // A free port unless asked otherwise, so exec never collides with a running local cloud.
    args.options.port ??= 0;
  }
  return args;
}

function banner(emulator: RunningEmulator): string {
  const { options } = emulator.ctx;
  return `[duet-cloud] ready: ${emulator.url}
  SDK endpoint    ${emulator.url}/admin   (TCB_CONTEXT_CNFG={"URL":"${emulator.url}/admin"})
  control plane   ${emulator.url}/_emu/health
  web UI          ${emulator.url}/_emu/ui/
  functions       ${options.functionsDir} (${emulator.ctx.functions.names().length} found; GET ${emulator.url}/_emu/functions)
  HTTP functions  ${emulator.url}/_emu/http/<name>
  timer triggers  ${options.triggers ? 'fire by themselves' : 'on demand only'} (POST /_emu/triggers/<name>/fire)
  data            ${options.ephemeral ? 'in memory (ephemeral)' : options.dataDir}`;
}

function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const number = signal ? (osConstants.signals as Record<string, number>)[signal] : undefined;
  return 128 + (number ?? 1);
}

async function runExec(emulator: RunningEmulator, command: string[]): Promise<number> {
  const env = { ...process.env, DUET_EMULATOR_URL: emulator.url, DUET_EMULATOR_PORT: String(emulator.port) };
  // One argument with spaces is a shell command line (`exec -- "npm test && echo ok"`).
  const useShell = command.length === 1 && /\s/.test(command[0]);
  const child = useShell
    ? spawn(command[0], { stdio: 'inherit', env, shell: true })
    : spawn(command[0], command.slice(1), { stdio: 'inherit', env });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    return await new Promise<number>((resolve) => {
      child.on('error', (error) => {
        console.error(`[duet-cloud] could not run ${command[0]}: ${error.message}`);
        resolve(127);
      });
      child.on('exit', (code, signal) => resolve(exitCodeOf(code, signal)));
    });
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}

export async function main(argv: string[]): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (error) {
    console.error(`[duet-cloud] ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  try {
    assertNoRealCredentials();
  } catch (error) {
    console.error(`[duet-cloud] ${(error as Error).message}`);
    return 1;
  }

  let emulator: RunningEmulator;
  try {
    emulator = await startEmulator(args.options);
  } catch (error) {
    console.error(`[duet-cloud] could not start: ${(error as Error).message}`);
    return 1;
  }

  if (args.exec) {
    if (!args.options.quiet) console.error(`[duet-cloud] local cloud at ${emulator.url} for: ${args.command.join(' ')}`);
    const code = await runExec(emulator, args.command);
    // Let what the command started (invocations, triggers it fired) finish before stopping.
    await emulator.ctx.functions.idle();
    await emulator.stop();
    return code;
  }

  console.log(banner(emulator));
  return await new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      console.log(`\n[duet-cloud] ${signal}: stopping…`);
      emulator.stop().then(
        () => resolve(0),
        (error) => {
          console.error(`[duet-cloud] stop failed: ${String(error)}`);
          resolve(1);
        },
      );
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}

const invokedDirectly = (() => {
  const entry = process.argv[1] ?? '';
  return /(^|[\\/])cli\.(ts|js|mjs|cjs)$/.test(entry);
})();

if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(`[duet-cloud] ${String(error?.stack ?? error)}`);
      process.exit(1);
    },
  );
}
