import type { ClockAnswer, FaultsAnswer, HealthAnswer, OutboxAnswer, PersonasAnswer, StatsAnswer, TemplatesAnswer } from './client';
import { type EmulatorModule, type FaultSpec, isPayFailFault, MAX_FAULT_DELAY_MS, type OutboxKind } from './context';
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
        const body = await readJsonObject<{ target?: unknown; error?: FaultSpec; delayMs?: unknown; times?: unknown }>(req);
        if (typeof body.target !== 'string' || !body.target) {
          throw new HttpError(400, '"target" is required (a database action, an openapi name, cloudPay.<api> or mp.<api>)');
        }
        const times = body.times ?? 1;
        if (typeof times !== 'number' || !Number.isInteger(times) || times < 1) {
          throw new HttpError(400, `"times" must be an integer ≥ 1 (how many calls the fault hits), not ${JSON.stringify(body.times)}`);
        }
        if (body.delayMs !== undefined) {
          if (body.error !== undefined) {
            throw new HttpError(
              400,
              'send either "error" or "delayMs", not both: a delay and an error on one target are two faults (both apply, the delay first)',
            );
          }
          const delayMs = body.delayMs;
          if (typeof delayMs !== 'number' || !Number.isInteger(delayMs) || delayMs < 1 || delayMs > MAX_FAULT_DELAY_MS) {
            throw new HttpError(
              400,
              `"delayMs" must be an integer from 1 to ${MAX_FAULT_DELAY_MS} (milliseconds), not ${JSON.stringify(delayMs)}`,
            );
          }
          ctx.faults.addDelay(body.target, delayMs, times);
          return { faults: ctx.faults.list() };
        }
        const error = body.error;
        if (error === undefined) {
          throw new HttpError(
            400,
            `send "error" ("timeout", { "errCode": number, "errMsg": string }, ...) or "delayMs" (an integer from 1 to ${MAX_FAULT_DELAY_MS})`,
          );
        }
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
        ctx.faults.add(body.target, error, times);
        return { faults: ctx.faults.list() };
      }),
    );

    ctx.route(
      route('GET', '/_emu/outbox', ({ url }): OutboxAnswer => {
        const kind = url.searchParams.get('kind') ?? undefined;
        return { entries: ctx.outbox.list(kind as OutboxKind | undefined) };
      }),
    );

    ctx.route(
      route(
        'GET',
        '/_emu/templates',
        (): TemplatesAnswer => ({
          templates: [...ctx.project.templates.all().values()].map(({ id, title, keywords }) => ({ id, title, keywords })),
        }),
      ),
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
      route('POST', '/_emu/reset', async ({ req }): Promise<{ ok: true }> => {
        const { coldStarts } = await readJsonObject<{ coldStarts?: unknown }>(req);
        if (coldStarts !== undefined && typeof coldStarts !== 'boolean') throw new HttpError(400, '"coldStarts" must be true or false');
        await ctx.reset({ coldStarts: coldStarts === true });
        return { ok: true };
      }),
    );
  },
};
