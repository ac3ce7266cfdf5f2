import { callCloud } from './cloud';

/** A 助力 campaign: its rule in one line, the caller's latest task, and whether 发起助力 can be tapped. */
export function campaign(campaignId: string) {
  return callCloud('help', 'campaign', { campaignId });
}

/** Starts the caller's task, or answers the one they have (idempotent: a retry never makes a second). */
export function start(campaignId: string) {
  return callCloud('help', 'start', { campaignId });
}

/** One task, as its owner or a friend sees it. */
export function task(taskId: string) {
  return callCloud('help', 'task', { taskId });
}

/** 帮TA助力: counted once the rules pass; a refusal carries its Chinese reason. */
export function help(taskId: string) {
  return callCloud('help', 'help', { taskId });
}

/** Running campaigns and the caller's own tasks (a visitor gets the campaigns alone). */
export function list() {
  return callCloud('help', 'list', {});
}
