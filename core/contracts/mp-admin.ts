import * as z from 'zod/mini';
import { defineContract } from '../contract';
import { hostedJobsInput, JobRun } from './scheduler';

/**
 * The `mpAdmin` function: the 公众号 jobs the scheduler has it run (replaying pushes needs every
 * push handler, which would not fit in the scheduler's bundle beside the other features' jobs).
 */
export const mpAdminContract = defineContract('mpAdmin', {
  /** The scheduler's 公众号 jobs (the scheduler calls this every minute; the console may too). */
  runMpJobs: { input: hostedJobsInput('mpAdmin'), output: z.object({ jobs: z.array(JobRun) }) },
});
export type MpAdminContract = typeof mpAdminContract;
