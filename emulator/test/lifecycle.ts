import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { CloudClient } from '../src/client';

/**
 * The one test lifecycle for a local cloud, used by the local cloud's own tests and the product's
 * integration tests: started before the `describe`'s tests, stopped after, and reset before each
 * test — data, clock, faults, outbox, grants, payments, personas, function instances and logs
 * (`POST /_emu/reset`) — so that no test depends on the one before. Hooks the file registers
 * afterwards run after the reset: they may seed what every test needs. Answers the live value.
 */
export function usePerTestCloud<T extends { client: CloudClient }>(start: () => Promise<T>, stop: (cloud: T) => Promise<void>): () => T {
  let current: T | undefined;
  beforeAll(async () => {
    current = await start();
  });
  afterAll(async () => {
    if (current) await stop(current);
  });
  beforeEach(async () => {
    await live().client.reset();
  });
  function live(): T {
    if (!current) throw new Error('the test cloud starts in beforeAll: use it inside tests and hooks');
    return current;
  }
  return live;
}
