/**
 * npm run build:functions — bundles each cloud function with esbuild into
 * build/cloudfunctions/<name>/ (index.js, config.json, package.json depending on wx-server-sdk only),
 * ready for WeChat DevTools or miniprogram-ci to upload, and for the local cloud to run.
 */
import path from 'node:path';
import { buildFunctions, FunctionBudgetError, formatBundleTable } from './lib/build-functions';

const root = path.resolve(import.meta.dirname, '..');

buildFunctions({ root })
  .then((built) => {
    console.log(formatBundleTable(built));
    console.log(`built ${built.length} function(s) into build/cloudfunctions/, each within its budget`);
  })
  .catch((error) => {
    if (error instanceof FunctionBudgetError) {
      console.error(formatBundleTable(error.built));
      console.error(`build:functions failed:\n  - ${error.problems.join('\n  - ')}`);
    } else {
      console.error(`build:functions failed: ${error?.message ?? error}`);
    }
    process.exit(1);
  });
