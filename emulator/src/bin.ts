#!/usr/bin/env node
/** The `duet-local-cloud` command of the package, and `npm run emulator` (the options are in cli.ts). */
import { main } from './cli';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(`[duet-local-cloud] ${String(error?.stack ?? error)}`);
    process.exit(1);
  },
);
