import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildFunctions, FUNCTION_BUDGET_BYTES, FunctionBudgetError, formatBundleTable } from './build-functions';

const root = path.resolve(import.meta.dirname, '../..');
const dirs: string[] = [];
const outDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duet-build-fn-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('buildFunctions budgets', () => {
  it('builds every function within 150 KB, readable (names kept), with its biggest inputs from the metafile', async () => {
    const dir = outDir();
    const built = await buildFunctions({ root, outDir: dir });
    expect(built.map((f) => f.name)).toEqual([
      'admin',
      'bargain',
      'bargainAdmin',
      'content',
      'coupon',
      'couponAdmin',
      'funnelAdmin',
      'groupbuy',
      'groupbuyAdmin',
      'help',
      'helpAdmin',
      'lottery',
      'lotteryAdmin',
      'member',
      'mpAdmin',
      'mpGateway',
      'notice',
      'noticeAdmin',
      'order',
      'orderAdmin',
      'payNotify',
      'points',
      'pointsAdmin',
      'review',
      'reviewAdmin',
      'scheduler',
      'setupAdmin',
      'shop',
      'shopAdmin',
    ]);
    for (const fn of built) {
      const source = fs.readFileSync(path.join(dir, fn.name, 'index.js'), 'utf8');
      expect(fn.bytes).toBe(Buffer.byteLength(source));
      expect(fn.bytes).toBeLessThanOrEqual(FUNCTION_BUDGET_BYTES);
      // The inputs add up to the bundle, less esbuild's own glue.
      const inputs = fn.inputs.reduce((sum, input) => sum + input.bytes, 0);
      expect(inputs).toBeLessThanOrEqual(fn.bytes);
      expect(inputs).toBeGreaterThan(fn.bytes * 0.8);
      // Identifiers are not mangled: functions and their parameters keep their names for stack traces.
      expect(source).toMatch(/\bfunction log\(level,fields\)/);
      expect(Math.max(...source.split('\n').map((line) => line.length))).toBeLessThanOrEqual(2000);
    }
    // Nothing of zod's classic namespace or its other locales.
    const member = fs.readFileSync(path.join(dir, 'member', 'index.js'), 'utf8');
    expect(member).not.toMatch(/\$constructor\("ZodString"|Zbyt du|Слишком/);
    expect(member).toMatch(/\$constructor\("ZodMiniString"/);
  });

  it('fails a bundle over its budget and names what made it big', async () => {
    const error = await buildFunctions({ root, outDir: outDir(), only: ['content'], budgetBytes: 10 * 1024 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FunctionBudgetError);
    const failure = error as FunctionBudgetError;
    expect(failure.problems).toHaveLength(1);
    expect(failure.problems[0]).toMatch(/^function content is \d+\.\d KB, over the 10\.0 KB budget; biggest inputs: zod \d+\.\d KB, /);
    expect(formatBundleTable(failure.built, 10 * 1024)).toMatch(/^content .* OVER$/m);
  });
});
