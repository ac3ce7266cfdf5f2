import { type TargetRow, targetProblems } from '../../core/admin/targets';
import { DuetError } from '../../core/errors';
import { existingContentIds } from '../content/repository';

/** The app's pages, defined into the bundle at build time (scripts/lib/build-functions.ts). */
function appPages(): ReadonlySet<string> {
  const pages = typeof DUET_APP_PAGES === 'undefined' ? undefined : DUET_APP_PAGES;
  if (!pages || pages.length === 0) throw new DuetError('INTERNAL', 'this function was built without the app pages (DUET_APP_PAGES)');
  return new Set(pages);
}

/** Problems of rows whose page is not the app's or whose article or campaign does not exist. */
export async function checkTargets(rows: readonly TargetRow[]): Promise<Array<{ line: number; reason: string }>> {
  const [articles, campaigns] = await Promise.all([
    existingContentIds(
      'articles',
      rows.flatMap((row) => (row.article ? [row.article] : [])),
    ),
    existingContentIds(
      'campaigns',
      rows.flatMap((row) => (row.campaign ? [row.campaign] : [])),
    ),
  ]);
  return targetProblems(rows, { appPages: appPages(), articles, campaigns });
}

/** The same for one target: INVALID_ARGUMENT naming every problem. */
export async function assertTargetExists(target: Omit<TargetRow, 'line'>): Promise<void> {
  const problems = await checkTargets([{ ...target, line: 1 }]);
  if (problems.length > 0) throw new DuetError('INVALID_ARGUMENT', problems.map((p) => p.reason).join('; '));
}
