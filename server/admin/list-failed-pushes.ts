import { listFailedPushClaims } from '../mp/push-repository';

const iso = (value: unknown) => (value ? new Date(value as string).toISOString() : null);

/** `listFailedPushes`: 公众号 pushes whose handling failed — still retried (`failed`) or given up (`dead`). */
export async function listFailedPushes(input: { limit: number }) {
  const docs = await listFailedPushClaims(input.limit);
  return {
    pushes: docs.map((doc) => ({
      key: doc._id,
      state: doc.state === 'dead' ? ('dead' as const) : ('failed' as const),
      kind: doc.kind,
      from: doc.from,
      createTime: doc.createTime,
      attempts: Number(doc.attempts ?? 0),
      reason: doc.reason ?? null,
      failedAt: iso(doc.failedAt),
      nextAttemptAt: iso(doc.nextAttemptAt),
      requestId: doc.requestId ?? null,
    })),
  };
}
