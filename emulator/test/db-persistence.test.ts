import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clientOf, sdkFor, startTestCloud } from './support';

describe('database persistence', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'duet-db-'));
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps documents, created collections and module state across a restart', async () => {
    const first = await startTestCloud({ ephemeral: false, dataDir });
    try {
      const db: any = sdkFor(first).database();
      await db.createCollection('notes');
      await db.collection('notes').add({ data: { _id: 'n1', text: 'kept', at: new Date('2025-01-02T03:04:05.000Z') } });
      await db.collection('members').add({ data: { _id: 'm1', unionid: 'u-1' } });
      await clientOf(first).personas.upsert({ name: 'erin', unionid: 'u-erin' });
    } finally {
      await first.stop();
    }
    expect(existsSync(path.join(dataDir, 'cloud.sqlite'))).toBe(true);

    const second = await startTestCloud({ ephemeral: false, dataDir });
    try {
      const db: any = sdkFor(second).database();
      const { data } = await db.collection('notes').doc('n1').get();
      expect(data.text).toBe('kept');
      expect(data.at.toISOString()).toBe('2025-01-02T03:04:05.000Z');
      expect((await db.collection('members').doc('m1').get()).data.unionid).toBe('u-1');
      // Unique indexes still hold over the reloaded data.
      const error = await db
        .collection('members')
        .add({ data: { unionid: 'u-1' } })
        .catch((e: any) => e);
      expect(error.errMsg).toContain('E11000');
      const { personas } = await clientOf(second).personas.list();
      expect(personas.find((p) => p.name === 'erin')).toMatchObject({ unionid: 'u-erin', openid: 'o-mini-erin' });
    } finally {
      await second.stop();
    }
  });

  it('keeps nothing on disk in ephemeral mode', async () => {
    const emptyDir = mkdtempSync(path.join(tmpdir(), 'duet-db-eph-'));
    try {
      const cloud = await startTestCloud({ ephemeral: true, dataDir: emptyDir });
      const db: any = sdkFor(cloud).database();
      await db.collection('members').add({ data: { _id: 'gone' } });
      await cloud.stop();
      expect(existsSync(path.join(emptyDir, 'cloud.sqlite'))).toBe(false);
    } finally {
      rmSync(emptyDir, { recursive: true, force: true });
    }
  });
});
