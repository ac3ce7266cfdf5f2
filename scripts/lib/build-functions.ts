import fs from 'node:fs';
import path from 'node:path';
import { build, type BuildOptions, context } from 'esbuild';

export const WX_SERVER_SDK_VERSION = '4.0.2';

export interface BuiltFunction {
  name: string;
  bytes: number;
}

export interface BuildFunctionsOptions {
  root: string;
  outDir?: string;
  /** Only these functions (default: every folder of cloudfunctions/ with an index.ts). */
  only?: string[];
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
    legalComments: 'none',
    sourcemap: false,
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

export async function buildFunctions(options: BuildFunctionsOptions): Promise<BuiltFunction[]> {
  const root = options.root;
  const outDir = options.outDir ?? path.join(root, 'build', 'cloudfunctions');
  const names = options.only ?? functionNames(root);
  fs.mkdirSync(outDir, { recursive: true });
  // A function removed from the source must not linger in what gets deployed.
  if (!options.only) {
    for (const entry of fs.readdirSync(outDir)) {
      if (!names.includes(entry)) fs.rmSync(path.join(outDir, entry), { recursive: true, force: true });
    }
  }
  const built = await Promise.all(
    names.map(async (name) => {
      await build(esbuildOptions(root, name, outDir));
      writeMetadata(root, name, outDir);
      return { name, bytes: fs.statSync(path.join(outDir, name, 'index.js')).size };
    }),
  );
  return built;
}

/** Rebuilds each function on change (npm run dev). */
export async function watchFunctions(options: BuildFunctionsOptions & { onBuilt?: (name: string, ok: boolean) => void }) {
  const root = options.root;
  const outDir = options.outDir ?? path.join(root, 'build', 'cloudfunctions');
  const contexts = await Promise.all(
    (options.only ?? functionNames(root)).map((name) =>
      context({
        ...esbuildOptions(root, name, outDir),
        plugins: [
          {
            name: 'duet-metadata',
            setup(b) {
              b.onEnd((result) => {
                const ok = result.errors.length === 0;
                if (ok) writeMetadata(root, name, outDir);
                options.onBuilt?.(name, ok);
              });
            },
          },
        ],
      }),
    ),
  );
  await Promise.all(contexts.map((c) => c.watch()));
  return { dispose: () => Promise.all(contexts.map((c) => c.dispose())) };
}
