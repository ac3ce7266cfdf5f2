import { adminContract } from './admin';
import { bargainAdminContract } from './bargain-admin';
import { couponAdminContract } from './coupon-admin';
import { funnelAdminContract } from './funnel-admin';
import { groupbuyAdminContract } from './groupbuy-admin';
import { helpAdminContract } from './help-admin';
import { lotteryAdminContract } from './lottery-admin';
import { mpAdminContract } from './mp-admin';
import { noticeAdminContract } from './notice-admin';
import { orderAdminContract } from './order-admin';
import { pointsAdminContract } from './points-admin';
import { reviewAdminContract } from './review-admin';
import { setupAdminContract } from './setup-admin';
import { shopAdminContract } from './shop-admin';

/**
 * Every console function and its jobs. Console jobs are split by domain into functions (`admin`,
 * `couponAdmin`, `shopAdmin`, `orderAdmin`, …) so each bundle stays within its budget; job names are unique across them, so
 * the CLI and the docs name a job alone and find its function here.
 */
export const CONSOLE_CONTRACTS = [
  adminContract,
  couponAdminContract,
  shopAdminContract,
  orderAdminContract,
  groupbuyAdminContract,
  pointsAdminContract,
  mpAdminContract,
  noticeAdminContract,
  funnelAdminContract,
  helpAdminContract,
  lotteryAdminContract,
  reviewAdminContract,
  bargainAdminContract,
  setupAdminContract,
] as const;

type Contracts = (typeof CONSOLE_CONTRACTS)[number];
export type ConsoleFunction = Contracts['name'];
export type ConsoleJob = { [C in Contracts as C['name']]: keyof C['actions'] & string }[ConsoleFunction];

/** The function that runs `job`, or null for a name no console function knows. */
export function consoleFunctionOf(job: string): ConsoleFunction | null {
  for (const contract of CONSOLE_CONTRACTS) if (Object.hasOwn(contract.actions, job)) return contract.name;
  return null;
}

/** The contract of one job (its input schema is what the help describes). */
export function consoleJobContract(job: ConsoleJob) {
  for (const contract of CONSOLE_CONTRACTS) {
    const actions = contract.actions as Record<string, { input: import('zod/mini').ZodMiniType; output: import('zod/mini').ZodMiniType }>;
    if (Object.hasOwn(actions, job)) return actions[job];
  }
  throw new Error(`no console function has a job ${job}`);
}
