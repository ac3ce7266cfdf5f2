/**
 * The Duet local cloud from the command line: `duet-local-cloud` (the package's bin) or, in Duet,
 * `npm run emulator -- [options]` (tsx emulator/src/bin.ts).
 *
 *   duet-local-cloud [start] [--ephemeral] [--port N] [--host H] [--no-triggers] [--functions DIR] [--data DIR] [--quiet]
 *   duet-local-cloud exec [options] -- <command...>
 *   duet-local-cloud export <dir | file.json> [--url URL] [--data DIR]
 *   duet-local-cloud import <dir | file.json...> [--url URL] [--data DIR]
 *
 * `exec` starts an ephemeral local cloud (on a free port unless --port is given), runs the command
 * with DUET_EMULATOR_URL / DUET_EMULATOR_PORT set, waits for running invocations and triggers,
 * stops, and exits with the command's exit code. `export` / `import` move the database in the
 * WeChat console's format, through a running local cloud or, when none answers, the data folder.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { constants as osConstants } from 'node:os';
import path from 'node:path';
import { createCloudClient, type ExportAnswer } from './client';
import { assertNoRealCredentials, type EmulatorOptions, type RunningEmulator, startEmulator } from './index';

const USAGE = `usage:
  duet-local-cloud [start] [--ephemeral] [--port N] [--host H] [--no-triggers] [--functions DIR] [--data DIR] [--quiet]
  duet-local-cloud exec [same options] -- <command...>
  duet-local-cloud export <dir | file.json> [--url URL] [--port N] [--data DIR]
  duet-local-cloud import <dir | file...> [--url URL] [--port N] [--data DIR]
  (in Duet: npm run emulator -- <the same>)

  start            the default: a local cloud until SIGINT/SIGTERM
  exec             an ephemeral local cloud on a free port for one command, which gets
                   DUET_EMULATOR_URL and DUET_EMULATOR_PORT; exits with the command's code
  export           the database in the WeChat console's format: a file.json holds every collection
                   ({ format: "duet-cloud-export", ... }); a folder gets one <collection>.json
                   (JSON lines, what the console imports) per collection
  import           replaces the collections a file holds: a duet-cloud-export file, JSON-lines files
                   (<collection>.json or .jsonl) or a folder of them; all or nothing
                   export/import use the local cloud at --url (else DUET_EMULATOR_URL, else
                   http://127.0.0.1:<port>) when it answers, else the data folder directly

  --ephemeral      keep everything in memory (default: persistent, in <project>/.emulator)
  --port N         listen on N (default: DUET_EMULATOR_PORT, else 8790; exec: a free port)
  --host H         listen on H instead of 127.0.0.1 (not loopback: anyone who can reach it owns it)
  --no-triggers    timer triggers fire only on demand (POST /_emu/triggers/<fn>/fire)
  --functions DIR  folder of the functions (default: cloudfunctionRoot of project.config.json,
                   else build/cloudfunctions)
  --data DIR       where persistent data lives (default: .emulator)
  --url URL        export/import: the local cloud to talk to
  --quiet          no request or function logs
  --help           this text

  The project folder is the current directory: cloud/schema.json (collections and indexes),
  project.config.json and the functions folder are read from there.`;

export interface CliArgs {
  mode: 'start' | 'exec' | 'export' | 'import';
  exec: boolean;
  command: string[];
  /** export/import: the files or folders named. */
  paths: string[];
  /** export/import: the running local cloud to use. */
  url?: string;
  options: Partial<EmulatorOptions>;
  help: boolean;
}

export function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = { mode: 'start', exec: false, command: [], paths: [], options: {}, help: false };
  let i = 0;
  if (argv[0] === 'exec' || argv[0] === 'export' || argv[0] === 'import' || argv[0] === 'start') {
    args.mode = argv[0];
    args.exec = argv[0] === 'exec';
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
      case '--url':
        args.url = take();
        break;
      case '--help':
      case '-h':
        args.help = true;
        break;
      default:
        if ((args.mode === 'export' || args.mode === 'import') && !arg.startsWith('-')) {
          args.paths.push(arg);
          break;
        }
        throw new Error(`unknown argument ${arg}`);
    }
  }
  if (args.help) return args;
  if (args.mode === 'export' && args.paths.length !== 1) throw new Error('export needs one target: a folder or a file.json');
  if (args.mode === 'import' && args.paths.length === 0) throw new Error('import needs a file or a folder');
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
  return `[duet-local-cloud] ready: ${emulator.url}
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
        console.error(`[duet-local-cloud] could not run ${command[0]}: ${error.message}`);
        resolve(127);
      });
      child.on('exit', (code, signal) => resolve(exitCodeOf(code, signal)));
    });
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}

/** Collections named by their file: `orders.json` / `orders.jsonl` → `orders`. */
function collectionFiles(target: string): Array<{ name: string; file: string }> {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) throw new Error(`${target} does not exist`);
  const files = stat.isDirectory()
    ? fs
        .readdirSync(target)
        .filter((name) => /\.jsonl?$/.test(name))
        .sort()
        .map((name) => path.join(target, name))
    : [target];
  if (files.length === 0) throw new Error(`${target} holds no .json or .jsonl file`);
  return files.map((file) => ({ name: path.basename(file).replace(/\.jsonl?$/, ''), file }));
}

/** What `import` sends: every collection of every file named, checked before anything is replaced. */
export function readImport(paths: string[]): Record<string, string> {
  const collections: Record<string, string> = {};
  for (const target of paths) {
    for (const { name, file } of collectionFiles(target)) {
      const text = fs.readFileSync(file, 'utf8');
      let whole: Partial<ExportAnswer> | undefined;
      try {
        whole = JSON.parse(text);
      } catch {
        // Not one JSON value: JSON lines, the console's format.
      }
      if (whole && typeof whole === 'object' && whole.format === 'duet-cloud-export') {
        if (whole.version !== 1) throw new Error(`${file}: export version ${String(whole.version)} is not supported (only 1)`);
        Object.assign(collections, whole.collections);
      } else {
        if (name in collections) throw new Error(`collection ${name} is named by two files (${file})`);
        collections[name] = text;
      }
    }
  }
  return collections;
}

/** Writes an export: one file with everything (`*.json` that is not a folder), or one JSON-lines file per collection. */
export function writeExport(target: string, answer: ExportAnswer): string[] {
  const existing = fs.statSync(target, { throwIfNoEntry: false });
  if (target.endsWith('.json') && !existing?.isDirectory()) {
    fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
    fs.writeFileSync(target, `${JSON.stringify(answer, null, 2)}\n`);
    return [target];
  }
  fs.mkdirSync(target, { recursive: true });
  return Object.entries(answer.collections).map(([name, lines]) => {
    const file = path.join(target, `${name}.json`);
    fs.writeFileSync(file, lines);
    return file;
  });
}

/** The local cloud export/import talk to: the one running, or one opened on the data folder for the job. */
async function transfer(args: CliArgs): Promise<void> {
  const explicit = args.url ?? (process.env.DUET_EMULATOR_URL || undefined);
  const url = explicit ?? `http://127.0.0.1:${args.options.port ?? Number(process.env.DUET_EMULATOR_PORT ?? 8790)}`;
  let running = false;
  try {
    running = (await createCloudClient(url).health()).ok === true;
  } catch (error) {
    // Only an explicit address must answer; the default one is merely tried.
    if (explicit) throw new Error(`no local cloud answers at ${url} (${(error as Error).message})`);
  }
  const own = running ? undefined : await startEmulator({ ...args.options, port: 0, ephemeral: false, triggers: false, quiet: true });
  try {
    const client = createCloudClient(own?.url ?? url);
    const where = own ? `the data in ${own.ctx.options.dataDir}` : url;
    if (args.mode === 'export') {
      const written = writeExport(args.paths[0], await client.db.export());
      console.log(`[duet-local-cloud] exported ${where} to ${written.join(', ') || `${args.paths[0]} (no collections)`}`);
    } else {
      const answer = await client.db.import(readImport(args.paths));
      const counts = Object.entries(answer.collections).map(([name, count]) => `${name}: ${count}`);
      console.log(`[duet-local-cloud] imported into ${where}: ${counts.join(', ')}`);
    }
  } finally {
    await own?.stop();
  }
}

export async function main(argv: string[]): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (error) {
    console.error(`[duet-local-cloud] ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  try {
    assertNoRealCredentials();
  } catch (error) {
    console.error(`[duet-local-cloud] ${(error as Error).message}`);
    return 1;
  }
  if (args.mode === 'export' || args.mode === 'import') {
    try {
      await transfer(args);
      return 0;
    } catch (error) {
      console.error(`[duet-local-cloud] ${args.mode} failed: ${(error as Error).message}`);
      return 1;
    }
  }

  let emulator: RunningEmulator;
  try {
    emulator = await startEmulator(args.options);
  } catch (error) {
    console.error(`[duet-local-cloud] could not start: ${(error as Error).message}`);
    return 1;
  }

  if (args.exec) {
    if (!args.options.quiet) console.error(`[duet-local-cloud] local cloud at ${emulator.url} for: ${args.command.join(' ')}`);
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
      console.log(`\n[duet-local-cloud] ${signal}: stopping…`);
      emulator.stop().then(
        () => resolve(0),
        (error) => {
          console.error(`[duet-local-cloud] stop failed: ${String(error)}`);
          resolve(1);
        },
      );
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}
