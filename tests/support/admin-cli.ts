import { execFile } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from './cloud';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm run admin -- <args>` against the local cloud at `cloudUrl`, from `cwd` (default the project root). */
export function runAdminCli(cloudUrl: string, args: string[], cwd = projectRoot): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      path.join(projectRoot, 'node_modules/.bin/tsx'),
      [path.join(projectRoot, 'scripts/admin.ts'), ...args],
      { cwd, env: { ...process.env, DUET_EMULATOR_URL: cloudUrl } },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
