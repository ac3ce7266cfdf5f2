import path from 'node:path';
import { fileURLToPath } from 'node:url';
// Already loaded at start by openapi/app-pages.ts; its service process starts on the first build only.
import { build } from 'esbuild';
import type { EmulatorModule } from '../context';
import { HttpError, route, sendBuffer } from '../http';

// As openapi/wire.ts: `__filename` under tsx/CJS (the CLI), `import.meta.url` under vitest/ESM.
const HERE = path.dirname(typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url));
/** The browser side: vanilla TypeScript and one stylesheet, bundled by esbuild into one JS and one CSS. */
export const UI_ENTRY = path.join(HERE, 'app/main.ts');

export interface UiBundle {
  js: string;
  css: string;
  /** Bytes of each, as served (minified, not compressed). */
  bytes: { js: number; css: number };
  buildMs: number;
}

let building: Promise<UiBundle> | undefined;

/**
 * Built on the first request and kept in memory for the life of the process: the local cloud's start stays
 * as fast as before, and nothing is written to disk. A failed build is not kept, so the next request retries.
 */
export function uiBundle(): Promise<UiBundle> {
  building ??= (async () => {
    const started = performance.now();
    const result = await build({
      entryPoints: [UI_ENTRY],
      bundle: true,
      minify: true,
      write: false,
      outdir: 'ui',
      format: 'iife',
      target: 'es2020',
      charset: 'utf8',
      legalComments: 'none',
      logLevel: 'silent',
    });
    const js = result.outputFiles.find((file) => file.path.endsWith('.js'))?.text ?? '';
    const css = result.outputFiles.find((file) => file.path.endsWith('.css'))?.text ?? '';
    return { js, css, bytes: { js: Buffer.byteLength(js), css: Buffer.byteLength(css) }, buildMs: Math.round(performance.now() - started) };
  })().catch((error) => {
    building = undefined;
    throw error;
  });
  return building;
}

/**
 * The page may talk to its own origin only (the control plane), run only its own script, and be framed by
 * no one: another site can neither read it nor overlay it to steer clicks ("fire now", "settle").
 */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

const HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Duet local cloud</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/_emu/ui/app.css">
</head>
<body>
<div id="app"></div>
<script src="/_emu/ui/app.js"></script>
</body>
</html>
`;

/** The web UI at `/_emu/ui/`: a browser for the data and a panel for every control-plane route. */
export const uiModule: EmulatorModule = {
  name: 'ui',
  setup(ctx) {
    const send = (res: Parameters<typeof sendBuffer>[0], body: string, type: string) => {
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
      sendBuffer(res, 200, body, type);
    };
    ctx.route(
      route('GET', '/_emu/ui', ({ res }) => {
        res.writeHead(308, { location: '/_emu/ui/' });
        res.end();
      }),
    );
    ctx.route(route('GET', '/_emu/ui/', ({ res }) => send(res, HTML, 'text/html; charset=utf-8')));
    const asset = (name: 'js' | 'css', type: string) =>
      route('GET', `/_emu/ui/app.${name}`, async ({ res }) => {
        let bundle: UiBundle;
        try {
          bundle = await uiBundle();
        } catch (error) {
          ctx.log('error', 'the web UI did not build', { error: String((error as Error)?.message ?? error) });
          throw new HttpError(500, `the web UI did not build: ${(error as Error)?.message ?? error}`);
        }
        send(res, bundle[name], type);
      });
    ctx.route(asset('js', 'text/javascript; charset=utf-8'));
    ctx.route(asset('css', 'text/css; charset=utf-8'));
  },
};
