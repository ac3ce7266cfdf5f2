import { log } from '../../log';
import { countTasks, findBargainsToReconcile, settleBargainStock } from './repository';

/** A start takes its unit and inserts its task within one call: two quiet minutes after the last take, none is in flight. */
export const QUIET_MS = 2 * 60_000;

/**
 * Units a crash stranded (taken by a start that died before its task was written) go back: once a
 * bargain has been quiet for two minutes, stock − stock left − tasks is what no task holds, given
 * back with a compare-and-set on the values counted against (a start meanwhile makes it wait for the
 * next quiet window). Safe to run twice and concurrently.
 */
export async function reconcileBargainStock(now: Date): Promise<{ checked: number; returned: number }> {
  let checked = 0;
  let returned = 0;
  for (const bargain of await findBargainsToReconcile(new Date(now.getTime() - QUIET_MS), 20)) {
    checked += 1;
    const tasks = await countTasks(bargain._id);
    const units = (bargain.stock as number) - (bargain.stockLeft as number) - tasks;
    if (units < 0) {
      log('error', {
        event: 'bargain.stock_over_taken',
        bargainId: bargain._id,
        tasks,
        taken: (bargain.stock as number) - (bargain.stockLeft as number),
      });
      continue;
    }
    if (await settleBargainStock(bargain, units, now)) returned += units;
  }
  return { checked, returned };
}
