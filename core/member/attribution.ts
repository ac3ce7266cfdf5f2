/**
 * Attribution: where a member came from. A touch is one arrival through an article code, a
 * 公众号 parametric code or a shared card. The first touch is kept forever; the last touch is
 * replaced by every newer arrival.
 */
export interface Touch {
  /** The scene key (article code) or 公众号 QR value that brought the member. */
  scene?: string;
  article?: string;
  campaign?: string;
  channel: string;
  /** Member id of the friend who shared the card, when it was a share. */
  sharer?: string;
  at: Date;
}

export interface Attribution {
  firstTouch?: Touch;
  lastTouch?: Touch;
}

/** What a new touch changes: the first touch only when there is none yet, the last touch when it is newer. */
export function applyTouch(current: Attribution, touch: Touch): Attribution {
  const next: Attribution = {};
  if (!current.firstTouch) next.firstTouch = touch;
  if (!current.lastTouch || time(current.lastTouch) <= time(touch)) next.lastTouch = touch;
  return next;
}

/** Two members become one: the earlier first touch and the later last touch survive. */
export function mergeAttribution(a: Attribution, b: Attribution): Attribution {
  const firsts = [a.firstTouch, b.firstTouch].filter(Boolean) as Touch[];
  const lasts = [a.lastTouch, b.lastTouch].filter(Boolean) as Touch[];
  const result: Attribution = {};
  if (firsts.length > 0) result.firstTouch = firsts.reduce((x, y) => (time(y) < time(x) ? y : x));
  if (lasts.length > 0) result.lastTouch = lasts.reduce((x, y) => (time(y) > time(x) ? y : x));
  return result;
}

function time(touch: Touch): number {
  return new Date(touch.at).getTime();
}
