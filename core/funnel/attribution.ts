import type { EventTouch, FunnelEventDoc } from './events';

/**
 * Attribution models. Every event carries the member's touches at the time it happened (`touch`:
 * the last attributed arrival, `firstTouch`: the first), so a model is a choice between them:
 * - `first`: the first touch, whenever it was;
 * - `last`: the last attributed touch, whenever it was (a touch is only ever set by an attributed
 *   arrival, so "last" never falls back to direct once a member has arrived through a code or card);
 * - `last_non_direct`: the last touch if it is at most `windowDays` old when the step happened
 *   (for money: when the order was made), else direct.
 */
export const MODELS = ['first', 'last', 'last_non_direct'] as const;
export type Model = (typeof MODELS)[number];

export const DIMENSIONS = ['article', 'campaign', 'channel', 'sharer'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const DEFAULT_WINDOW_DAYS = 7;

/** The row of steps credited to no touch under the model. */
export const DIRECT_KEY = '(direct)';
/** The row of steps whose touch has no value for the dimension (a 公众号 QR has no article). */
export const NONE_KEY = '(none)';

export const MODEL_LABELS: Record<Model, string> = {
  first: '首次触达',
  last: '末次触达',
  last_non_direct: '末次非直接触达',
};

export const DIMENSION_LABELS: Record<Dimension, string> = { article: '文章', campaign: '活动', channel: '渠道', sharer: '分享人' };

const DAY_MS = 86_400_000;

/** What an event is credited to under a model (null: direct). */
export function creditedTouch(
  event: Pick<FunnelEventDoc, 'at' | 'touch' | 'firstTouch'> & { orderAt?: unknown },
  model: Model,
  windowDays = DEFAULT_WINDOW_DAYS,
): EventTouch | null {
  if (model === 'first') return event.firstTouch ?? null;
  const touch = event.touch ?? null;
  if (model === 'last' || !touch) return touch;
  const stepAt = event.orderAt instanceof Date ? event.orderAt : event.at;
  const age = stepAt.getTime() - new Date(touch.at).getTime();
  return age >= 0 && age <= windowDays * DAY_MS ? touch : null;
}

/** The row key of a credited touch for one dimension. */
export function creditKey(touch: EventTouch | null, by: Dimension): string {
  if (!touch) return by === 'channel' ? 'direct' : DIRECT_KEY;
  const value = touch[by];
  return value === null || value === undefined || value === '' ? NONE_KEY : String(value);
}

/** A report's one-line statement of its model, e.g. `归因：末次非直接触达（7 天窗口）`. */
export function modelStatement(model: Model, windowDays = DEFAULT_WINDOW_DAYS): string {
  return `归因：${MODEL_LABELS[model]}${model === 'last_non_direct' ? `（${windowDays} 天窗口）` : ''}`;
}
