import * as z from 'zod/mini';
import { defineContract } from '../contract';

/** What one doctor check looked at and what it found. */
export const DoctorCheck = z.object({
  /** `collection`, `unique index`, `function`, `env`, `公众号`, `template`. */
  area: z.string(),
  /** The collection, index, function, variable or template checked. */
  item: z.string(),
  ok: z.boolean(),
  /** Why it failed, what to do, or (when ok) what was found. */
  detail: z.string(),
});
export type DoctorCheck = z.infer<typeof DoctorCheck>;

/** The `setupAdmin` function's console job: checks a deployed environment against what the code needs. */
export const setupAdminContract = defineContract('setupAdmin', {
  /**
   * Every collection of cloud/schema.json exists; each unique index refuses a duplicate (probed with two
   * scratch documents, removed after); every function answers and has its required variables; the
   * 公众号 answers with the configured appid and secret, and its token is well-formed; every registered
   * subscription template exists in the account with its keywords. `ok` is false when any check fails.
   */
  doctor: {
    input: z.strictObject({}),
    output: z.object({ ok: z.boolean(), failed: z.int(), checks: z.array(DoctorCheck) }),
  },
});
export type SetupAdminContract = typeof setupAdminContract;
