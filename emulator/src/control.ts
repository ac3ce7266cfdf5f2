import type { ClockAnswer, FaultsAnswer, HealthAnswer, OutboxAnswer, PersonasAnswer, StatsAnswer } from './client';
import { type EmulatorModule, type FaultSpec, isPayFailFault, type OutboxKind } from './context';
import { HttpError, readJson, readJsonObject, route } from './http';
import { ClockRangeError, PersonaError } from './services';

/** The generic part of the control plane; modules add their own `/_emu/...` routes. */
export const controlModule: EmulatorModule = {
  name: 'control',
  setup(ctx) {
    ctx.route(
      route('GET', '/_emu/health', (): HealthAnswer => ({ ok: true, env: ctx.options.envId, time: ctx.clock.now().toISOString() })),
    );

    ctx.route(route('GET', '/_emu/clock', (): ClockAnswer => ({ now: ctx.clock.now().toISOString(), offsetMs: ctx.clock.offsetMs() })));
    ctx.route(
      route('POST', '/_emu/clock', async ({ req }): Promise<ClockAnswer> => {
        const body = await readJsonObject<{ advanceMs?: number; set?: string; reset?: boolean }>(req);
        try {
          if (typeof body.advanceMs === 'number') ctx.clock.advance(body.advanceMs);
          else if (typeof body.set === 'string') {
            if (Number.isNaN(Date.parse(body.set))) throw new HttpError(400, `"set" is not an ISO time: ${body.set}`);
            ctx.clock.set(body.set);
          } else if (body.reset) ctx.clock.reset();
          else throw new HttpError(400, 'send { "advanceMs": n } or { "set": "<ISO time>" }');
        } catch (error) {
          if (error instanceof ClockRangeError) throw new HttpError(400, error.message);
          throw error;
        }
        return { now: ctx.clock.now().toISOString(), offsetMs: ctx.clock.offsetMs() };
      }),
    );

    ctx.route(route('GET', '/_emu/stats', (): StatsAnswer => ({ counts: ctx.stats.snapshot() })));

    ctx.route(route('GET', '/_emu/faults', (): FaultsAnswer => ({ faults: ctx.faults.list() })));
    ctx.route(
      route('POST', '/_emu/faults', async ({ req }): Promise<FaultsAnswer> => {
        const body = await readJson<{ target?: string; error?: FaultSpec; times?: number }>(req);
        if (!body.target) throw new HttpError(400, '"target" is required (a database action or an openapi name)');
        const error = body.error;
        const thrown =
          !!error &&
          typeof error === 'object' &&
          typeof error.errCode === 'number' &&
          'errMsg' in error &&
          typeof error.errMsg === 'string';
        const payFail =
          body.target.startsWith('cloudPay.') &&
          isPayFailFault(error) &&
          error.resultCode === 'FAIL' &&
          typeof error.errCode === 'string' &&
          error.errCode !== '' &&
          typeof error.errCodeDes === 'string';
        if (error !== 'timeout' && !thrown && !payFail) {
          throw new HttpError(
            400,
            '"error" must be "timeout", { "errCode": number, "errMsg": string } or, for a cloudPay.<api> target, { "resultCode": "FAIL", "errCode": string, "errCodeDes": string }',
          );
        }
        ctx.faults.add(body.target, error as FaultSpec, body.times ?? 1);
        return { faults: ctx.faults.list() };
      }),
    );

    ctx.route(
      route('GET', '/_emu/outbox', ({ url }): OutboxAnswer => {
        const kind = url.searchParams.get('kind') ?? undefined;
        return { entries: ctx.outbox.list(kind as OutboxKind | undefined) };
      }),
    );

    ctx.route(route('GET', '/_emu/personas', (): PersonasAnswer => ({ personas: ctx.personas.list() })));
    ctx.route(
      route('POST', '/_emu/personas', async ({ req }): Promise<PersonasAnswer> => {
        const body = await readJson<unknown>(req);
        const inputs = Array.isArray(body) ? body : [body];
        for (const input of inputs) {
          if (!input || typeof input !== 'object' || Array.isArray(input)) throw new HttpError(400, 'each persona must be a JSON object');
          const { name } = input as { name?: unknown };
          if (typeof name !== 'string' || !/^[\w-]{1,40}$/.test(name)) {
            throw new HttpError(400, 'each persona needs a "name" of letters, digits, _ or -');
          }
        }
        try {
          return { personas: ctx.personas.upsertAll(inputs as Array<{ name: string }>) };
        } catch (error) {
          if (error instanceof PersonaError) throw new HttpError(400, error.message);
          throw error;
        }
      }),
    );

    ctx.route(
      route('POST', '/_emu/reset', async (): Promise<{ ok: true }> => {
        await ctx.reset();
        return { ok: true };
      }),
    );
  },
};
