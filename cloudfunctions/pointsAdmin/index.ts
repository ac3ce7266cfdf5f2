import { pointsAdminContract } from '../../core/contracts/points-admin';
import { adjustPoints } from '../../server/admin/adjust-points';
import { authorized } from '../../server/admin/authorize-admin';
import { createMallItem } from '../../server/admin/create-mall-item';
import { getPointsRules, setPointsRules } from '../../server/admin/points-rules';
import { listMallItems, updateMallItem } from '../../server/admin/update-mall-item';
import { createHandler } from '../../server/handler';
import { auditPoints } from '../../server/ledger/audit-points';
import { runPointsJobs } from '../../server/points/jobs';

/** How long one audit run may read before it reports and asks to be run again (the function may run 60 s). */
const AUDIT_BUDGET_MS = 45_000;
/** The points jobs' share of a minute when the console runs them by hand. */
const HOSTED_BUDGET_MS = 25_000;

// Points console jobs, authorized like `admin`'s: the console, timers and members on the admin list.
export const main = createHandler(
  pointsAdminContract,
  authorized<typeof pointsAdminContract>({
    setPointsRules: (input) => setPointsRules(input),
    getPointsRules: () => getPointsRules(),
    createMallItem: (input) => createMallItem(input, new Date()),
    updateMallItem: (input) => updateMallItem(input, new Date()),
    listMallItems: (input) => listMallItems(input),
    adjustPoints: (input, { operator }) => adjustPoints(input, operator ?? 'unknown', new Date()),
    auditPoints: (input) => auditPoints(input, AUDIT_BUDGET_MS),
    runPointsJobs: (input, { requestId }) =>
      runPointsJobs({ jobs: input.jobs, budgetMs: input.budgetMs ?? HOSTED_BUDGET_MS }, new Date(), requestId),
  }),
  {
    audience: {
      setPointsRules: 'any',
      getPointsRules: 'any',
      createMallItem: 'any',
      updateMallItem: 'any',
      listMallItems: 'any',
      adjustPoints: 'any',
      auditPoints: 'any',
      runPointsJobs: 'any',
    },
  },
);
