/**
 * H5 only: stand-ins for WeChat's own sheets (subscription authorization, payment) when the app
 * runs on the local cloud. A service opens a sheet and waits; the LocalSheetHost component shows
 * it and answers with the user's choice.
 */
export type SubscribeChoice = 'accept' | 'reject';

export type LocalSheetRequest =
  | { kind: 'subscribe'; templateIds: string[]; titles: Record<string, string> }
  | { kind: 'pay'; outTradeNo: string; totalFee: number; description: string };

export type LocalSheetAnswer =
  | { kind: 'subscribe'; choices: Record<string, SubscribeChoice> }
  | { kind: 'pay'; result: 'SUCCESS' | 'FAIL' | 'CANCEL' };

interface Pending {
  request: LocalSheetRequest;
  resolve: (answer: LocalSheetAnswer) => void;
}

let pending: Pending | null = null;
const listeners = new Set<(request: LocalSheetRequest | null) => void>();

function notify() {
  for (const listener of listeners) listener(pending?.request ?? null);
}

export function openLocalSheet(request: LocalSheetRequest): Promise<LocalSheetAnswer> {
  // WeChat shows one sheet at a time; a second request cancels the first, as a new tap would.
  if (pending) answerLocalSheet(pending.request.kind === 'pay' ? { kind: 'pay', result: 'CANCEL' } : { kind: 'subscribe', choices: {} });
  return new Promise((resolve) => {
    pending = { request, resolve };
    notify();
  });
}

export function answerLocalSheet(answer: LocalSheetAnswer): void {
  const current = pending;
  pending = null;
  current?.resolve(answer);
  notify();
}

export function watchLocalSheet(listener: (request: LocalSheetRequest | null) => void): () => void {
  listeners.add(listener);
  listener(pending?.request ?? null);
  return () => listeners.delete(listener);
}
