/**
 * The event every function answers, for platform callers only, with the names of its DUET_ variables
 * that are set (server/env-probe.ts). Its own module: every bundle imports it, none needs the table
 * of variables beside it.
 */
export const ENV_PROBE_ACTION = '$env';
