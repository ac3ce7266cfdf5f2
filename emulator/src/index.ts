import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type {
  AdminAction,
  EmulatorContext,
  EmulatorModule,
  EmulatorOptions,
  FunctionsService,
  MpEncryptMode,
  ResetOptions,
} from './context';
import { controlModule } from './control';
import { h5Module } from './h5';
import { databaseModule, openStateStore } from './db';
import { functionsModule } from './functions';
import type { Route } from './http';
import { mpModule } from './mp';
import { checkMpEncryption } from './mp/crypto';
import { openapiModule } from './openapi';
import { createAppPagesReader } from './openapi/app-pages';
import { createTemplateRegistry } from './openapi/templates';
import { payModule } from './pay';
import { isLoopbackHost } from './guard';
import { createHttpServer } from './server';
import { createClock, createFaults, createOutbox, createPersonas, createStats } from './services';
import { storageModule } from './storage';
import { uiModule } from './ui';

export { CloudRequestError, createCloudClient } from './client';
export type * from './client';
export type { EmulatorContext, EmulatorOptions, MpEncryptMode, MpOptions, ResetOptions } from './context';

export interface RunningEmulator {
  url: string;
  port: number;
  ctx: EmulatorContext;
  /** Every HTTP route the server registered (method and path as written), in matching order; `POST /admin` is not among them. */
  routes: ReadonlyArray<{ method: string; path: string }>;
  stop(): Promise<void>;
}

/** Order matters only for reset hooks: the database first, then what records around it. */
const MODULES: EmulatorModule[] = [
  databaseModule,
  functionsModule,
  openapiModule,
  payModule,
  storageModule,
  mpModule,
  controlModule,
  uiModule,
  // Last: its catch-all GET route must not shadow the others.
  h5Module,
];

export function resolveOptions(partial: Partial<EmulatorOptions> = {}): EmulatorOptions {
  const projectRoot = path.resolve(partial.projectRoot ?? process.cwd());
  return {
    port: partial.port ?? Number(process.env.DUET_EMULATOR_PORT ?? 8790),
    host: partial.host ?? '127.0.0.1',
    projectRoot,
    dataDir: path.resolve(projectRoot, partial.dataDir ?? '.emulator'),
    ephemeral: partial.ephemeral ?? false,
    functionsDir: path.resolve(
      projectRoot,
      partial.functionsDir ?? process.env.DUET_FUNCTIONS_DIR ?? cloudfunctionRoot(projectRoot) ?? 'build/cloudfunctions',
    ),
    triggers: partial.triggers ?? true,
    h5Url: partial.h5Url ?? process.env.DUET_H5_URL,
    h5Dir: partial.h5Dir ? path.resolve(projectRoot, partial.h5Dir) : undefined,
    envId: partial.envId ?? process.env.DUET_ENV_ID ?? 'duet-local',
    quiet: partial.quiet ?? false,
    appid: partial.appid ?? process.env.DUET_MINI_APPID ?? 'wxd0e7000000000001',
    mp: partial.mp ?? {
      appid: process.env.DUET_MP_APPID ?? 'wxd0e7000000000002',
      secret: process.env.DUET_MP_SECRET ?? 'duet-local-mp-secret',
      token: process.env.DUET_MP_TOKEN ?? 'duetlocaltoken',
      // An empty variable means unset, as a shell `VAR= cmd` intends; checked by startEmulator.
      aesKey: process.env.DUET_MP_AES_KEY || undefined,
      mode: (process.env.DUET_MP_ENCRYPT_MODE || undefined) as MpEncryptMode | undefined,
    },
    functionEnvOverrides: partial.functionEnvOverrides,
  };
}

/**
 * The functions folder WeChat's own tools use: `cloudfunctionRoot` of the project's project.config.json, when
 * there is one. That makes any CloudBase project work without options (Duet's says `build/cloudfunctions/`).
 */
export function cloudfunctionRoot(projectRoot: string): string | undefined {
  const file = path.join(projectRoot, 'project.config.json');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  let config: { cloudfunctionRoot?: unknown };
  try {
    config = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message}); fix it, or pass the functions folder (--functions DIR)`);
  }
  return typeof config.cloudfunctionRoot === 'string' && config.cloudfunctionRoot !== '' ? config.cloudfunctionRoot : undefined;
}

/** Real Tencent credentials in the environment mean someone could touch production: refuse. */
export function assertNoRealCredentials(env: NodeJS.ProcessEnv = process.env): void {
  const id = env.TENCENTCLOUD_SECRETID ?? '';
  const key = env.TENCENTCLOUD_SECRETKEY ?? '';
  const looksReal = (value: string) => value.length > 0 && !/^(dummy|duet|local|test|fake)/i.test(value);
  if (looksReal(id) || looksReal(key)) {
    throw new Error(
      'refusing to start: TENCENTCLOUD_SECRETID/TENCENTCLOUD_SECRETKEY look like real credentials. ' +
        'Unset them (the local cloud never needs them).',
    );
  }
}

/** What anyone on the network can do once the local cloud listens beyond loopback. */
export function exposureWarning(host: string, url: string): string {
  return (
    `[duet-local-cloud] WARNING: listening on ${host} (${url}), not on loopback. Anyone who can reach this address can ` +
    'read, change and delete every document, file, payment and persona, move the clock, and run any function as ' +
    'any user or as the console: the control plane (/_emu/) and the SDK endpoint (/admin) have no authentication. ' +
    'Web pages are still refused (foreign Origin and Host headers), other programs are not. Use --host only on a ' +
    'network you trust, and stop the local cloud when you are done.'
  );
}

export async function startEmulator(partial: Partial<EmulatorOptions> = {}): Promise<RunningEmulator> {
  assertNoRealCredentials();
  const options = resolveOptions(partial);
  checkMpEncryption(options.mp);

  const state = openStateStore(options);
  const clock = createClock();
  const actions = new Map<string, AdminAction>();
  const routes: Route[] = [];
  const resetHooks: Array<(options: ResetOptions) => Promise<void> | void> = [];
  const closeHooks: Array<() => Promise<void> | void> = [];
  const stats = createStats();
  const faults = createFaults();
  const outbox = createOutbox(state, clock);
  const personas = createPersonas(state);
  const appPages = createAppPagesReader(options.projectRoot);

  const ctx: EmulatorContext = {
    options,
    baseUrl: '',
    clock,
    stats,
    faults,
    personas,
    outbox,
    state,
    project: {
      templates: createTemplateRegistry(options.projectRoot),
      pages() {
        try {
          return appPages.read();
        } catch (error) {
          ctx.log('warn', 'cannot read the app pages; page checks are skipped', { error: String((error as Error)?.message ?? error) });
          return undefined;
        }
      },
    },
    functions: undefined as unknown as FunctionsService,
    log(level, message, fields) {
      if (options.quiet && level !== 'error') return;
      const line = `[duet-local-cloud] ${level} ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`;
      if (level === 'error' || level === 'warn') console.error(line);
      else console.log(line);
    },
    action(name, handler) {
      if (actions.has(name)) throw new Error(`action ${name} registered twice`);
      actions.set(name, handler);
    },
    route(r) {
      routes.push(r);
    },
    onReset(hook) {
      resetHooks.push(hook);
    },
    onClose(hook) {
      closeHooks.push(hook);
    },
    async reset(resetOptions = {}) {
      // Silent: the hooks below empty the database and watch the timer triggers from real time again.
      clock.reset({ silent: true });
      stats.reset();
      faults.reset();
      outbox.reset();
      personas.reset();
      for (const hook of resetHooks) await hook(resetOptions);
    },
  };

  const server = createHttpServer(ctx, actions, routes);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  ctx.baseUrl = `http://${host}:${port}`;
  // Not through ctx.log: quiet silences warnings, and this one must reach whoever started it.
  if (!isLoopbackHost(options.host)) console.error(exposureWarning(options.host, ctx.baseUrl));

  try {
    for (const module of MODULES) await module.setup(ctx);
  } catch (error) {
    await new Promise((resolve) => server.close(resolve));
    throw error;
  }

  let stopped = false;
  return {
    url: ctx.baseUrl,
    port,
    ctx,
    routes: routes.map((r) => ({ method: r.method, path: r.path })),
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const hook of closeHooks.reverse()) {
        try {
          await hook();
        } catch (error) {
          ctx.log('error', 'close hook failed', { error: String(error) });
        }
      }
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
