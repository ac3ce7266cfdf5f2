/**
 * A local cloud in a process of its own, for tests that need to kill the local cloud itself:
 * prints its URL as one line, then runs until killed.
 *   node --import tsx emulator/test/hold-cloud.ts <functionsDir>
 */
import { startEmulator } from '../src/index';

// No top-level await: the package is CommonJS, and tsx compiles this file as such.
startEmulator({ port: 0, ephemeral: true, quiet: true, triggers: false, functionsDir: process.argv[2] }).then(
  (emulator) => console.log(emulator.url),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
