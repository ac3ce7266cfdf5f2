import fs from 'node:fs';
import path from 'node:path';
import type { EmulatorModule } from './context';
import { prefixRoute, sendBuffer } from './http';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

/**
 * Serves the built H5 app on the local cloud's own origin, so the app, its QR codes and the
 * control plane share one URL (browser tests and `npm run emulator -- --h5 dist-h5`).
 */
export const h5Module: EmulatorModule = {
  name: 'h5',
  setup(ctx) {
    const dir = ctx.options.h5Dir;
    if (!dir) return;
    ctx.route(
      prefixRoute('GET', '/', ({ res, params }) => {
        // Already decoded by the server: decoding again would turn %2525 into % and a valid URL into a 500.
        const relative = params.rest || 'index.html';
        if (/^(_emu|mp|admin)(\/|$)/.test(relative)) {
          sendBuffer(res, 404, JSON.stringify({ error: { message: `no route for GET /${relative}` } }), 'application/json; charset=utf-8');
          return;
        }
        const file = path.resolve(dir, relative);
        const inside = file === dir || file.startsWith(dir + path.sep);
        const target = inside && fs.existsSync(file) && fs.statSync(file).isFile() ? file : path.join(dir, 'index.html');
        if (!fs.existsSync(target)) {
          sendBuffer(res, 404, `the H5 app is not built in ${dir}: run npm run build:h5`, 'text/plain; charset=utf-8');
          return;
        }
        sendBuffer(res, 200, fs.readFileSync(target), TYPES[path.extname(target)] ?? 'application/octet-stream');
      }),
    );
  },
};
