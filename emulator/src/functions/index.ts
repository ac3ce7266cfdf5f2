import type { FunctionsAnswer, InvokeAnswer, LogsAnswer, TriggersAnswer } from '../client';
import type { EmulatorModule } from '../context';
import { AdminError } from '../errors';
import { HttpError, prefixRoute, readJson, route } from '../http';
import { backendCode } from './errors';
import { handleHttpFunction } from './http-trigger';
import { LocalFunctions } from './service';
import { TimerTriggers } from './triggers';

export { CronError, cronMatches, nextCronTime, parseCron } from './cron';
export type { InvocationLog } from './logs';

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

function positiveInt(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
}

/** `x-tcb-source` as node-sdk sends it: `<caller's TCB_SOURCE>,<run env tag>`, empty parts dropped. */
function sourceHeader(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value.join(',') : (value ?? '');
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  return parts.length > 0 ? parts.join(',') : undefined;
}

export const functionsModule: EmulatorModule = {
  name: 'functions',
  setup(ctx) {
    const functions = new LocalFunctions(ctx, {
      maxInstances: positiveInt(process.env.DUET_FUNCTION_INSTANCES, 4),
      idleMs: positiveInt(process.env.DUET_FUNCTION_IDLE_MS, 120_000),
      logLimit: positiveInt(process.env.DUET_FUNCTION_LOG_LIMIT, 50),
    });
    const triggers = new TimerTriggers(ctx, functions);
    ctx.functions = functions;

    // What cloud.callFunction sends (node-sdk src/functions/index.ts): function_name and
    // request_data (a JSON string); it reads `data.response_data` back and JSON-parses it.
    ctx.action('functions.invokeFunction', async (params, request) => {
      const name = String(params.function_name ?? '');
      if (!name) throw new AdminError('INVALID_PARAM', '函数名不能为空');
      let event: unknown = {};
      if (typeof params.request_data === 'string' && params.request_data !== '') {
        try {
          event = JSON.parse(params.request_data);
        } catch {
          throw new AdminError('INVALID_PARAM', 'request_data is not valid JSON');
        }
      }
      const caller = request.invocation;
      const result = await functions.invoke(name, event, {
        caller,
        // Not from one of our functions (a script with the SDK): keep what its SDK declared.
        source: caller ? undefined : (sourceHeader(request.headers['x-tcb-source']) ?? 'scf'),
      });
      if ('error' in result) {
        throw new AdminError(backendCode(result.error.errCode), result.error.errMsg, { errCode: result.error.errCode });
      }
      return { data: { response_data: JSON.stringify(result.result ?? null) } };
    });

    ctx.route(
      route('GET', '/_emu/functions', (): FunctionsAnswer => {
        // An unreadable folder lists no functions, but must not read as "no functions yet".
        const error = functions.folderProblem();
        return {
          dir: ctx.options.functionsDir,
          ...(error ? { error } : {}),
          functions: functions.names().map((name) => ({
            name,
            config: functions.config(name) ?? {},
            instances: functions.instances(name),
            lastColdStart: functions.lastColdStart(name) ?? null,
          })),
        };
      }),
    );

    ctx.route(
      route('POST', '/_emu/functions/:name/invoke', async ({ req, params }): Promise<InvokeAnswer> => {
        const body = await readJson<{
          event?: unknown;
          user?: { openid?: string; unionid?: string; appid?: string };
          persona?: string;
          source?: string;
        }>(req);
        let user = body.user;
        if (body.persona) {
          const persona = ctx.personas.get(body.persona);
          if (!persona) throw new HttpError(400, `unknown persona ${body.persona}`);
          user = { openid: persona.openid, unionid: persona.unionid, ...user };
        }
        const result = await functions.invoke(params.name, body.event ?? {}, { user, source: body.source });
        if ('error' in result && result.error.errCode === -501000) throw new HttpError(404, result.error.errMsg, result);
        return result;
      }),
    );

    ctx.route(
      route('GET', '/_emu/functions/:name/logs', ({ params, url }): LogsAnswer => {
        const logs = functions.logs(params.name);
        if (!logs)
          throw new HttpError(404, `no function ${params.name}`, {
            error: { errCode: -501000, errMsg: 'FunctionName parameter could not be found.' },
          });
        const limit = positiveInt(url.searchParams.get('limit') ?? undefined, logs.length);
        return { logs: logs.slice(-limit) };
      }),
    );

    ctx.route(route('GET', '/_emu/triggers', (): TriggersAnswer => ({ enabled: ctx.options.triggers, triggers: triggers.describe() })));

    ctx.route(
      route('POST', '/_emu/triggers/:name/fire', async ({ params }): Promise<InvokeAnswer> => {
        if (!functions.entry(params.name)) {
          throw new HttpError(404, `no function ${params.name}`, {
            error: { errCode: -501000, errMsg: 'FunctionName parameter could not be found.' },
          });
        }
        const trigger = triggers.find(params.name);
        if (!trigger) throw new HttpError(404, `function ${params.name} has no timer trigger in its config.json`);
        const outcome = await triggers.fire(trigger, ctx.clock.now());
        if (!outcome.ok) return { error: { errCode: outcome.failure.errCode, errMsg: outcome.failure.errMsg } };
        return { result: JSON.parse(outcome.json) };
      }),
    );

    for (const method of HTTP_METHODS) {
      ctx.route(
        prefixRoute(method, '/_emu/http/', async ({ req, res, url }) => {
          await handleHttpFunction(ctx, functions, req, res, url, url.pathname.slice('/_emu/http/'.length));
          return undefined;
        }),
      );
    }

    if (ctx.options.triggers) triggers.start();

    ctx.onReset(async ({ coldStarts }) => {
      await functions.reset({ coldStarts });
      triggers.rebase();
    });
    ctx.onClose(async () => {
      triggers.stop();
      await functions.close();
    });
  },
};
