import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Files known to take minutes, started first within their project. A fresh clone (CI) has no
 * vitest cache of durations, so the default order puts them wherever their size falls — once the
 * 25,000-follower sync started last and ran alone for four minutes while the other worker idled.
 */
const SLOW_FIRST = [
  'tests/integration/sync-followers.test.ts',
  'tests/integration/admin-examples.test.ts',
  'tests/integration/order-admin.test.ts',
  'tests/integration/groupbuy-late-payments.test.ts',
  'tests/integration/groupbuy-expiry.test.ts',
  'tests/integration/order-pay.test.ts',
  'tests/integration/groupbuy-admin.test.ts',
  'tests/integration/coupon-concurrency.test.ts',
  'tests/integration/groupbuy-concurrency.test.ts',
];

export class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const projectOrder = new Map<string, number>();
    for (const file of sorted) if (!projectOrder.has(file.project.name)) projectOrder.set(file.project.name, projectOrder.size);
    const rank = (file: TestSpecification) => {
      const index = SLOW_FIRST.findIndex((slow) => file.moduleId.endsWith(slow));
      return index === -1 ? SLOW_FIRST.length : index;
    };
    // Stable: within a project the slow files lead in the listed order, the rest keep vitest's order.
    return sorted
      .map((file, index) => ({ file, index }))
      .sort(
        (a, b) =>
          (projectOrder.get(a.file.project.name) ?? 0) - (projectOrder.get(b.file.project.name) ?? 0) ||
          rank(a.file) - rank(b.file) ||
          a.index - b.index,
      )
      .map(({ file }) => file);
  }
}
