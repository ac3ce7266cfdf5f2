import fs from 'node:fs';
import path from 'node:path';
import { build, type BuildOptions, context, type Metafile } from 'esbuild';
import { readAppPages } from './app-pages';
import { kb } from './weapp-package';

export const WX_SERVER_SDK_VERSION = '4.0.2';

/** Duet's budget per function bundle (index.js): every cold instance parses it, every deploy uploads it. */
export const FUNCTION_BUDGET_BYTES = 150 * 1024;

export interface BundleInput {
  /** A package (`zod`) or a project file (`server/mp/parse-push.ts`). */
  name: string;
  bytes: number;
}

export interface BuiltFunction {
  name: string;
  bytes: number;
  /** The biggest contributors to the bundle, largest first (from esbuild's metafile). */
  inputs: BundleInput[];
}

/** Bundle bytes per input, node_modules files grouped by package: "zod 55 KB" says more than 80 zod files. */
export function bundleInputs(metafile: Metafile): BundleInput[] {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [file, info] of Object.entries(output.inputs)) {
      const pkg = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
      const name = pkg ? pkg[1] : file;
      totals.set(name, (totals.get(name) ?? 0) + info.bytesInOutput);
    }
  }
  return [...totals].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes || (a.name < b.name ? -1 : 1));
}

/** One line per bundle over budget, naming what made it big. */
export function overBudget(built: BuiltFunction[], budget = FUNCTION_BUDGET_BYTES): string[] {
  return built
    .filter((fn) => fn.bytes > budget)
    .map(
      (fn) =>
        `function ${fn.name} is ${kb(fn.bytes)} KB, over the ${kb(budget)} KB budget; biggest inputs: ` +
        fn.inputs
          .slice(0, 3)
          .map((input) => `${input.name} ${kb(input.bytes)} KB`)
          .join(', '),
    );
}

/** The table build:functions and dev print. */
export function formatBundleTable(built: BuiltFunction[], budget = FUNCTION_BUDGET_BYTES): string {
  const lines = [`${'function'.padEnd(12)} ${'KB'.padStart(7)} ${'budget'.padStart(7)}  biggest inputs (KB)`];
  for (const fn of built) {
    const top = fn.inputs
      .slice(0, 3)
      .map((input) => `${input.name} ${kb(input.bytes)}`)
      .join(', ');
    const flag = fn.bytes > budget ? ' OVER' : '';
    lines.push(`${fn.name.padEnd(12)} ${kb(fn.bytes).padStart(7)} ${kb(budget).padStart(7)}  ${top}${flag}`);
  }
  return lines.join('\n');
}

export class FunctionBudgetError extends Error {
  constructor(
    readonly problems: string[],
    readonly built: BuiltFunction[],
  ) {
    super(problems.join('\n'));
    this.name = 'FunctionBudgetError';
  }
}

export interface BuildFunctionsOptions {
  root: string;
  outDir?: string;
  /** Only these functions (default: every folder of cloudfunctions/ with an index.ts). */
  only?: string[];
  /** Bytes per bundle above which the build fails (default FUNCTION_BUDGET_BYTES). */
  budgetBytes?: number;
}

export function functionNames(root: string): string[] {
  const dir = path.join(root, 'cloudfunctions');
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(dir, entry.name, 'index.ts')))
    .map((entry) => entry.name)
    .sort();
}

function esbuildOptions(root: string, name: string, outDir: string): BuildOptions {
  return {
    entryPoints: [path.join(root, 'cloudfunctions', name, 'index.ts')],
    outfile: path.join(outDir, name, 'index.js'),
    bundle: true,
    platform: 'node',
    // WeChat Cloud runs Node 16 and later; server shared code and core/ are inlined.
    target: 'node16',
    format: 'cjs',
    // The platform installs wx-server-sdk from the function's package.json.
    external: ['wx-server-sdk'],
    // The app's pages, known to the functions so admin jobs refuse codes to pages that do not exist.
    define: { DUET_APP_PAGES: JSON.stringify(readAppPages(root)) },
    legalComments: 'none',
    // Whitespace and syntax only: identifiers keep their names, so a stack trace from the cloud
    // still says which function threw, and lines stay short (esbuild breaks near 200 characters where it can) to read around a position.
    minifyWhitespace: true,
    minifySyntax: true,
    minifyIdentifiers: false,
    lineLimit: 200,
    sourcemap: false,
    metafile: true,
    logLevel: 'silent',
  };
}

/** Copies config.json (validated) and writes the deploy package.json beside the bundle. */
function writeMetadata(root: string, name: string, outDir: string): void {
  const source = path.join(root, 'cloudfunctions', name, 'config.json');
  const target = path.join(outDir, name);
  const config = fs.existsSync(source) ? JSON.parse(fs.readFileSync(source, 'utf8')) : { permissions: { openapi: [] } };
  validateConfig(name, config);
  fs.writeFileSync(path.join(target, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  const pkg = {
    name,
    version: '1.0.0',
    private: true,
    main: 'index.js',
    dependencies: { 'wx-server-sdk': WX_SERVER_SDK_VERSION },
  };
  fs.writeFileSync(path.join(target, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
}

export function validateConfig(name: string, config: unknown): void {
  const fail = (why: string) => {
    throw new Error(`cloudfunctions/${name}/config.json: ${why}`);
  };
  if (!config || typeof config !== 'object') fail('must be a JSON object');
  const c = config as Record<string, unknown>;
  const openapi = (c.permissions as { openapi?: unknown } | undefined)?.openapi;
  if (openapi !== undefined && (!Array.isArray(openapi) || openapi.some((a) => typeof a !== 'string'))) {
    fail('permissions.openapi must be a list of api names such as "subscribeMessage.send"');
  }
  if (c.timeout !== undefined && (typeof c.timeout !== 'number' || c.timeout < 1 || c.timeout > 60)) {
    fail('timeout must be 1..60 seconds');
  }
  const triggers = c.triggers;
  if (triggers !== undefined) {
    if (!Array.isArray(triggers)) fail('triggers must be a list');
    if ((triggers as unknown[]).length > 1) fail('WeChat allows one trigger per function');
    for (const t of triggers as Array<Record<string, unknown>>) {
      if (t.type !== 'timer' || typeof t.name !== 'string' || typeof t.config !== 'string') {
        fail('a trigger is { "name": "...", "type": "timer", "config": "<7-field cron>" }');
      }
      if (String(t.config).trim().split(/\s+/).length !== 7) fail(`trigger ${String(t.name)}: cron must have 7 fields`);
    }
  }
}

/** A function removed from the source must not linger in what gets deployed (or served by npm run dev). */
function removeStale(outDir: string, names: string[]): void {
  for (const entry of fs.readdirSync(outDir)) {
    if (!names.includes(entry)) fs.rmSync(path.join(outDir, entry), { recursive: true, force: true });
  }
}

export async function buildFunctions(options: BuildFunctionsOptions): Promise<BuiltFunction[]> {
  const root = options.root;
  const outDir = options.outDir ?? path.join(root, 'build', 'cloudfunctions');
  const names = options.only ?? functionNames(root);
  fs.mkdirSync(outDir, { recursive: true });
  if (!options.only) removeStale(outDir, names);
  const built = await Promise.all(
    names.map(async (name): Promise<BuiltFunction> => {
      const result = await build(esbuildOptions(root, name, outDir));
      writeMetadata(root, name, outDir);
      return {
        name,
        bytes: fs.statSync(path.join(outDir, name, 'index.js')).size,
        inputs: result.metafile ? bundleInputs(result.metafile) : [],
      };
    }),
  );
  const problems = overBudget(built, options.budgetBytes);
  if (problems.length > 0) throw new FunctionBudgetError(problems, built);
  return built;
}

export interface WatchedBuild {
  name: string;
  ok: boolean;
  /** How big the new bundle is, when it built. */
  built?: BuiltFunction;
  /** esbuild's messages, "file:line: text", when it did not. */
  errors?: string[];
}

/**
 * Builds every function once, then rebuilds each on change (npm run dev). The first build is esbuild's
 * own first watch build, returned as `initial`, so nothing is built twice at start; `onBuilt` hears
 * of the rebuilds after it.
 */
export async function watchFunctions(options: BuildFunctionsOptions & { onBuilt?: (build: WatchedBuild) => void }) {
  const root = options.root;
  const outDir = options.outDir ?? path.join(root, 'build', 'cloudfunctions');
  const names = options.only ?? functionNames(root);
  fs.mkdirSync(outDir, { recursive: true });
  if (!options.only) removeStale(outDir, names);
  const firsts: Promise<WatchedBuild>[] = [];
  const contexts = await Promise.all(
    names.map((name) => {
      let first: ((build: WatchedBuild) => void) | undefined;
      firsts.push(
        new Promise((resolve) => {
          first = resolve;
        }),
      );
      return context({
        ...esbuildOptions(root, name, outDir),
        plugins: [
          {
            name: 'duet-metadata',
            setup(b) {
              b.onEnd((result) => {
                let build: WatchedBuild;
                if (result.errors.length > 0) {
                  build = {
                    name,
                    ok: false,
                    errors: result.errors.map((e) => (e.location ? `${e.location.file}:${e.location.line}: ${e.text}` : e.text)),
                  };
                } else {
                  try {
                    writeMetadata(root, name, outDir);
                    const bytes = fs.statSync(path.join(outDir, name, 'index.js')).size;
                    build = { name, ok: true, built: { name, bytes, inputs: result.metafile ? bundleInputs(result.metafile) : [] } };
                  } catch (error) {
                    // A bad config.json is a failed build too; thrown here it would leave `initial` waiting forever.
                    build = { name, ok: false, errors: [(error as Error).message] };
                  }
                }
                if (first) {
                  first(build);
                  first = undefined;
                } else options.onBuilt?.(build);
              });
            },
          },
        ],
      });
    }),
  );
  await Promise.all(contexts.map((c) => c.watch()));
  const initial = await Promise.all(firsts);
  return { initial, dispose: () => Promise.all(contexts.map((c) => c.dispose())) };
}
