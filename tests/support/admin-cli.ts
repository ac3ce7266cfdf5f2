import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { projectRoot } from './cloud';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

let bundled: Promise<string> | undefined;

/**
 * scripts/admin.ts bundled once per test process (packages left as imports, so the file lives under
 * node_modules to resolve them): `node` starts it in a third of the time `tsx` takes to compile it,
 * which is most of a CLI run — the documented-commands test runs about a hundred.
 */
function adminCli(): Promise<string> {
  bundled ??= (async () => {
    const dir = path.join(projectRoot, 'node_modules/.cache/duet-test');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `admin-cli-${process.pid}.mjs`);
    await build({
      entryPoints: [path.join(projectRoot, 'scripts/admin.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      outfile: file,
      logLevel: 'warning',
    });
    return file;
  })();
  return bundled;
}

/** `npm run admin -- <args>` against the local cloud at `cloudUrl`, from `cwd` (default the project root). */
export async function runAdminCli(cloudUrl: string, args: string[], cwd = projectRoot): Promise<CliResult> {
  const cli = await adminCli();
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd, env: { ...process.env, DUET_EMULATOR_URL: cloudUrl } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
