/**
 * npm run build:functions — bundles each cloud function with esbuild into
 * build/cloudfunctions/<name>/ (index.js, config.json, package.json depending on wx-server-sdk only),
 * ready for WeChat DevTools or miniprogram-ci to upload, and for the local cloud to run.
 */
import path from 'node:path';
import { buildFunctions } from './lib/build-functions';
import { kb } from './lib/weapp-package';

const root = path.resolve(import.meta.dirname, '..');

buildFunctions({ root })
  .then((built) => {
    for (const fn of built) console.log(`${fn.name.padEnd(12)} ${kb(fn.bytes).padStart(8)} KB  build/cloudfunctions/${fn.name}/index.js`);
    console.log(`built ${built.length} function(s)`);
  })
  .catch((error) => {
    console.error(`build:functions failed: ${error?.message ?? error}`);
    process.exit(1);
  });
