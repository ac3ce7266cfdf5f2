import '../../server/groupbuy/install';
import { schedulerContract } from '../../core/contracts/scheduler';
import { authorized } from '../../server/admin/authorize-admin';
import { createHandler } from '../../server/handler';
import { runJobs } from '../../server/jobs/run-tick';

// The one timer of Duet: every minute it runs the registered jobs (server/jobs/). The console (or
// an admin) may run it by hand with { "action": "run", "jobs": ["replayPushes"] }.
const handler = createHandler(
  schedulerContract,
  authorized<typeof schedulerContract>({
    run: (input, { requestId }) => runJobs(input.jobs, new Date(), requestId),
  }),
  { audience: { run: 'any' } },
);

export const main = (event: unknown, context?: { request_id?: string }) => {
  // A timer's event is { Type: 'Timer', TriggerName, Time, Message }; authorization still checks SOURCE.
  const timer = !!event && typeof event === 'object' && (event as { Type?: unknown }).Type === 'Timer';
  return handler(timer ? { action: 'run' } : event, context);
};
