import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JOB_DOCS } from '../../scripts/lib/admin-jobs';
import { seedDemo } from '../../scripts/lib/seed';
import { runAdminCli } from '../support/admin-cli';
import { projectRoot, useCloud } from '../support/cloud';

/** The `npm run admin -- ...` lines a reader copies: from the README, docs/admin-jobs.md, examples/README.md and every job's help. */
function documentedCommands(): string[] {
  const lines: string[] = [];
  for (const file of ['README.md', 'docs/admin-jobs.md', 'examples/README.md']) {
    const text = fs.readFileSync(path.join(projectRoot, file), 'utf8');
    for (const block of text.matchAll(/```sh\n([\s\S]*?)```/g)) {
      for (const line of block[1].split('\n')) {
        const command = line.replace(/\s+#.*$/, '').trim();
        if (command.startsWith('npm run admin -- ')) lines.push(command);
      }
    }
  }
  for (const [job, doc] of Object.entries(JOB_DOCS)) if (doc.example) lines.push(`npm run admin -- ${job} ${doc.example}`);
  return [...new Set(lines)];
}

/** Splits a shell line the way the README's lines need: words and single-quoted JSON. */
function shellWords(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]);
}

describe('every documented admin command works on a freshly seeded local cloud', () => {
  const cloud = useCloud();
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'duet-admin-examples-'));

  const cli = (args: string[]) => runAdminCli(cloud.url, args);

  const commands = documentedCommands();

  it('finds the documented commands, one example per job that takes an event', () => {
    for (const [job, doc] of Object.entries(JOB_DOCS)) if (doc.needsInput) expect(doc.example, job).toBeTruthy();
    expect(commands.length).toBeGreaterThanOrEqual(8);
  });

  // Every documented command, twice, each a CLI process of its own (tsx starts each): minutes on a busy 2-core runner.
  it('runs each of them, twice (a second run changes nothing or answers the same), except placeholders', async () => {
    await seedDemo(cloud.url);
    const runnable = commands.filter((line) => !line.includes('<'));
    expect(runnable.length).toBeGreaterThanOrEqual(7);
    for (const line of runnable) {
      const args = shellWords(line)
        .slice(4)
        // Output files land in the test's own folder, not the repository.
        .map((arg, i, words) =>
          arg === './codes' ? path.join(out, 'codes') : ['--csv', '--chart'].includes(words[i - 1] ?? '') ? path.join(out, arg) : arg,
        );
      for (let round = 1; round <= 2; round += 1) {
        const result = await cli(args);
        expect(result.stderr, `${line} (run ${round})`).toBe('');
        expect(result.code, `${line} (run ${round})`).toBe(0);
      }
    }
    // The article code examples made their images.
    expect(fs.readdirSync(path.join(out, 'codes')).sort()).toEqual(['group-wx1.png', 'points-wx1.png', 'spring-wx1.png', 'spring-wx2.png']);
    fs.rmSync(out, { recursive: true, force: true });
  }, 900_000);

  it('a job that needs an event and gets none prints its usage, not a JSON error', async () => {
    const result = await cli(['createArticleCode']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Usage: npm run admin -- createArticleCode');
    expect(result.stderr).toMatch(/article\s+required/);
    expect(result.stderr).not.toContain('JSON');
    const help = await cli(['help', 'setMpMenu']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('npm run admin -- setMpMenu @examples/menu.json');
  });
});
