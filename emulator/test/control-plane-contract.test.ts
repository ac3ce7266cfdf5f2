import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../src/index';
import { startTestCloud } from './support';

interface ContractRoute {
  method: string;
  path: string;
  module: string;
  takes?: string;
  answers: string;
}

const contractFile = path.resolve(import.meta.dirname, '../control-plane.json');
const contract = JSON.parse(fs.readFileSync(contractFile, 'utf8')) as { name: string; version: number; routes: ContractRoute[] };
const key = (route: { method: string; path: string }) => `${route.method} ${route.path}`;

describe('control-plane contract (control-plane.json)', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startTestCloud();
  });
  afterAll(() => emulator?.stop());

  it('is versioned and describes each route once, with what it answers', () => {
    expect(contract.name).toBe('duet-local-cloud/control-plane');
    expect(Number.isInteger(contract.version) && contract.version >= 1).toBe(true);
    const keys = contract.routes.map(key);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
    for (const route of contract.routes) {
      expect(route.path, key(route)).toMatch(/^\/_emu(\/|$)/);
      expect(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], key(route)).toContain(route.method);
      expect(route.answers.length, `${key(route)} says what it answers`).toBeGreaterThan(0);
      expect(route.module.length, `${key(route)} names its module`).toBeGreaterThan(0);
    }
  });

  it('lists exactly the /_emu/ routes the server registers', () => {
    const served = emulator.routes.filter((route) => route.path.startsWith('/_emu/')).map(key);
    const listed = contract.routes.map(key);
    // Sorted lists, so a failure names the missing or extra route.
    expect({ servedButNotInContract: served.filter((k) => !listed.includes(k)).sort() }).toEqual({ servedButNotInContract: [] });
    expect({ inContractButNotServed: listed.filter((k) => !served.includes(k)).sort() }).toEqual({ inContractButNotServed: [] });
  });

  it('is what the server actually answers: a listed route is routed, an unlisted one is not', async () => {
    // The enumeration above reads the registration; this checks the registration is what serves requests.
    const health = await fetch(`${emulator.url}/_emu/health`);
    expect(health.status).toBe(200);
    const unknown = await fetch(`${emulator.url}/_emu/no-such-route`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: { message: 'no route for GET /_emu/no-such-route' } });
  });
});
