import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCloudClient } from '../src/client';
import { repoRoot, startTestCloud, useTestCloud } from './support';

/** Every process a probe started, killed at the end whatever the tests found (they may outlive a failing test). */
const started = new Set<number>();
afterAll(() => {
  for (const pid of started) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone, as it should be.
    }
  }
});

/** Running, not a zombie nobody reaped yet (in a container, PID 1 may never reap an orphan). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

const gone = (pid: number) => expect.poll(() => alive(pid), { timeout: 10_000, interval: 50 }).toBe(false);

type Spawned = { result?: { child: number; instance: number }; error?: unknown };

describe('processes a function starts', () => {
  const cloud = useTestCloud();

  const spawnChild = async () => {
    const answer = (await cloud.client.invoke('spawner')) as Spawned;
    if (!answer.result) throw new Error(`spawner failed: ${JSON.stringify(answer)}`);
    started.add(answer.result.child);
    return answer.result;
  };

  it('die when a reset retires their instance', async () => {
    const { child, instance } = await spawnChild();
    expect(alive(child)).toBe(true);
    // The instance stays warm: the child outlives the invocation that started it.
    const second = await spawnChild();
    expect(second.instance).toBe(instance);
    expect(alive(child)).toBe(true);
    await cloud.client.reset();
    await gone(instance);
    await gone(child);
    await gone(second.child);
  });

  it('die with an instance that exits on its own', async () => {
    const pidFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'duet-spawner-')), 'pid');
    const answer = await cloud.client.invoke('spawner', { event: { pidFile } });
    expect(answer).toMatchObject({ error: { errCode: -504002 } });
    const child = Number(fs.readFileSync(pidFile, 'utf8'));
    started.add(child);
    await gone(child);
  });
});

describe('processes a function starts, when the local cloud goes', () => {
  const functionsDir = path.join(import.meta.dirname, 'fixtures/functions');

  it('die when the local cloud stops', async () => {
    const emulator = await startTestCloud();
    try {
      const answer = (await createCloudClient(emulator.url).invoke('spawner')) as Spawned;
      if (!answer.result) throw new Error(`spawner failed: ${JSON.stringify(answer)}`);
      started.add(answer.result.child);
      expect(alive(answer.result.child)).toBe(true);
      await emulator.stop();
      await gone(answer.result.instance);
      await gone(answer.result.child);
    } finally {
      await emulator.stop();
    }
  });

  it('die when the local cloud is killed outright', async () => {
    const host = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'hold-cloud.ts'), functionsDir], {
      cwd: repoRoot,
      env: { ...process.env, TENCENTCLOUD_SECRETID: '', TENCENTCLOUD_SECRETKEY: '' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        host.stdout.setEncoding('utf8');
        host.stdout.on('data', (chunk: string) => {
          out += chunk;
          const line = out.split('\n').find((l) => l.startsWith('http://'));
          if (line) resolve(line.trim());
        });
        host.on('exit', (code) => reject(new Error(`the local cloud exited (${code}) before it was ready`)));
      });
      const answer = (await createCloudClient(url).invoke('spawner')) as Spawned;
      if (!answer.result) throw new Error(`spawner failed: ${JSON.stringify(answer)}`);
      started.add(answer.result.child);
      started.add(answer.result.instance);
      expect(alive(answer.result.child)).toBe(true);
      // No stop, no close hooks: only the instance can notice its parent is gone.
      host.kill('SIGKILL');
      await gone(answer.result.instance);
      await gone(answer.result.child);
    } finally {
      host.kill('SIGKILL');
    }
  });
});
