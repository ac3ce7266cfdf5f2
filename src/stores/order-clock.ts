import dayjs from 'dayjs';

/**
 * Countdowns run on the server's clock, not the phone's (a phone set five minutes fast must not
 * show an order as expired): the offset between the two is taken when an answer arrives and added
 * to the phone's time from then on.
 */
export function clockOffsetMs(serverTime: string, receivedAt: number = Date.now()): number {
  return dayjs(serverTime).valueOf() - receivedAt;
}

/** Milliseconds from the server's now to `until` (0 once passed). */
export function remainingMs(until: string, offsetMs: number, now: number = Date.now()): number {
  return Math.max(0, dayjs(until).diff(dayjs(now + offsetMs)));
}

/** `mm:ss` (and `h:mm:ss` past an hour), rounded up so 0:00 shows only when the time is up. */
export function formatCountdown(ms: number): string {
  const total = Math.ceil(Math.max(0, ms) / 1000);
  const hours = Math.floor(total / 3600);
  const pad = (n: number) => String(n).padStart(2, '0');
  const rest = `${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
  return hours > 0 ? `${hours}:${rest}` : rest;
}
