import type { PaymentAnswer, PaymentsAnswer, PaymentView, RefundSettleAnswer, SettleAnswer } from '../client';
import { type AdminRequest, type EmulatorContext, type EmulatorModule, type InvokeResult, isPayFailFault } from '../context';
import { AdminError } from '../errors';
import { HttpError, readJson, route } from '../http';
import { type Delivery, PayLedger, type PaymentRecord } from './ledger';

/**
 * cloudPay: `cloud.cloudPay.*` arrives as `wx.wxPayApi` (multipart: `apiName`, a JSON
 * `requestData` part in snake_case, a protobuf `apiOptions` part). The answer must be a raw
 * body that is not `application/json`: the SDK parses it itself, and treats a JSON answer with
 * `code`/`message` (or `errcode`) as a platform error.
 */

const STATE_KEY = 'pay';
const SERVED = new Set(['unifiedOrder', 'queryOrder', 'closeOrder', 'refund', 'queryRefund']);

export const payModule: EmulatorModule = {
  name: 'pay',
  setup(ctx) {
    const ledger = new PayLedger({
      now: () => ctx.clock.now(),
      appid: ctx.options.appid,
      load: () => ctx.state.get<PaymentRecord[]>(STATE_KEY) ?? [],
      save: (records) => ctx.state.set(STATE_KEY, records),
    });
    // Faults of type "timeout" hold the answer; reset and close release them.
    const held = new Set<() => void>();
    const releaseHeld = () => {
      for (const release of held) release();
      held.clear();
    };
    ctx.onReset(() => {
      releaseHeld();
      ledger.clear();
    });
    ctx.onClose(releaseHeld);

    ctx.action('wx.wxPayApi', async (params, request) => {
      const api = String(params.apiName ?? '');
      const delayMs = ctx.faults.takeDelay(`cloudPay.${api}`);
      const fault = ctx.faults.take(`cloudPay.${api}`);
      // The caller gave up or a reset dropped the call while it waited: nothing may reach the ledger.
      if (delayMs !== undefined && !(await request.delay(delayMs))) return undefined;
      if (fault === 'timeout') {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 60_000);
          held.add(() => {
            clearTimeout(timer);
            resolve();
          });
        });
        throw new AdminError('SYS_ERR', `cloudPay.${api} timed out`);
      }
      // The SDK reads a JSON `errcode` as a WeChat error: errCode = errcode, errMsg = "<api>:fail <errmsg>".
      if (fault && !isPayFailFault(fault)) return { errcode: fault.errCode, errmsg: fault.errMsg };
      if (!SERVED.has(api)) throw new AdminError('INVALID_PARAM', `the local cloud does not serve cloudPay.${api}`);
      const data = readRequestData(params, request);
      if (fault) {
        // A business failure: an ordinary answer with result_code FAIL, and nothing recorded.
        const answer = ledger.failure(data, fault.errCode, fault.errCodeDes);
        ctx.log('debug', `cloudPay.${api} (fault)`, { request: data, errCode: fault.errCode });
        return Buffer.from(JSON.stringify(answer), 'utf8');
      }
      const caller = { openid: request.invocation?.openid, appid: request.invocation?.appid };
      let answer: Record<string, unknown>;
      switch (api) {
        case 'unifiedOrder':
          answer = ledger.unifiedOrder(data, caller);
          break;
        case 'queryOrder':
          answer = ledger.queryOrder(data);
          break;
        case 'closeOrder':
          answer = ledger.closeOrder(data);
          break;
        case 'refund':
          answer = ledger.refund(data);
          break;
        default:
          answer = ledger.queryRefund(data);
      }
      ctx.log('debug', `cloudPay.${api}`, { request: data, resultCode: answer.result_code, errCodeDes: answer.err_code_des });
      return Buffer.from(JSON.stringify(answer), 'utf8');
    });

    ctx.route(route('GET', '/_emu/payments', (): PaymentsAnswer => ({ payments: ledger.list().map(view) })));
    ctx.route(
      route('GET', '/_emu/payments/:outTradeNo', ({ params }): PaymentAnswer => {
        const record = ledger.find(params.outTradeNo);
        if (!record) throw new HttpError(404, `no payment with outTradeNo ${params.outTradeNo}`);
        return { payment: view(structuredClone(record)) };
      }),
    );

    ctx.route(
      route('POST', '/_emu/payments/:outTradeNo/settle', async ({ req, params }): Promise<SettleAnswer> => {
        const body = await readJson<{ result?: string; deliveries?: number; openid?: string; persona?: string; bankType?: string }>(req);
        const record = ledger.find(params.outTradeNo);
        if (!record) throw new HttpError(404, `no payment with outTradeNo ${params.outTradeNo}`);
        const result = body.result ?? 'SUCCESS';
        if (result !== 'SUCCESS' && result !== 'FAIL') throw new HttpError(400, '"result" must be "SUCCESS" or "FAIL"');
        const deliveries = countOf(body.deliveries);
        let openid = body.openid;
        if (body.persona) {
          const persona = ctx.personas.get(body.persona);
          if (!persona) throw new HttpError(400, `no persona named ${body.persona}`);
          openid = persona.openid;
        }
        if (record.state === 'CLOSED') throw new HttpError(409, `payment ${record.outTradeNo} is closed`);
        if (result === 'FAIL') {
          if (record.state !== 'NOTPAY' && record.state !== 'PAYERROR') {
            throw new HttpError(409, `payment ${record.outTradeNo} is already ${record.state}`);
          }
          // Production notifies only successful payments; a failed one is found by queryOrder.
          ledger.markFailed(record);
          return { payment: view(structuredClone(record)), deliveries: [] };
        }
        ledger.markPaid(record, { openid, bankType: body.bankType });
        const results: Delivery[] = [];
        for (let i = 0; i < deliveries; i += 1) {
          const delivery = await deliver(ctx, record.functionName, record.envId, ledger.payEvent(record), record.deliveries.length + 1);
          record.deliveries.push(delivery);
          record.callbackAcked = record.callbackAcked || delivery.acked;
          ledger.persist();
          results.push(delivery);
        }
        return { payment: view(structuredClone(record)), deliveries: results };
      }),
    );

    ctx.route(
      route('POST', '/_emu/refunds/:outRefundNo/settle', async ({ req, params }): Promise<RefundSettleAnswer> => {
        const body = await readJson<{ result?: string; deliveries?: number }>(req);
        const found = ledger.findRefund(params.outRefundNo);
        if (!found) throw new HttpError(404, `no refund with outRefundNo ${params.outRefundNo}`);
        const { payment, refund } = found;
        const result = body.result ?? 'SUCCESS';
        const status = (
          { SUCCESS: 'SUCCESS', FAIL: 'CHANGE', CHANGE: 'CHANGE', CLOSED: 'REFUNDCLOSE', REFUNDCLOSE: 'REFUNDCLOSE' } as const
        )[result as 'SUCCESS'];
        if (!status) throw new HttpError(400, '"result" must be "SUCCESS", "FAIL" (refund abnormal: CHANGE) or "CLOSED" (REFUNDCLOSE)');
        const deliveries = countOf(body.deliveries);
        if (refund.state !== 'PROCESSING' && refund.state !== status) {
          throw new HttpError(409, `refund ${refund.outRefundNo} is already ${refund.state}`);
        }
        if (refund.state === 'PROCESSING') ledger.settleRefund(refund, status);
        const results: Delivery[] = [];
        if (refund.functionName) {
          for (let i = 0; i < deliveries; i += 1) {
            const event = ledger.refundEvent(payment, refund);
            const delivery = await deliver(
              ctx,
              refund.functionName,
              refund.envId ?? ctx.options.envId,
              event,
              refund.deliveries.length + 1,
            );
            refund.deliveries.push(delivery);
            refund.callbackAcked = refund.callbackAcked || delivery.acked;
            ledger.persist();
            results.push(delivery);
          }
        }
        return { refund: structuredClone(refund), payment: view(structuredClone(payment)), deliveries: results };
      }),
    );
  },
};

function readRequestData(params: Record<string, any>, request: AdminRequest): Record<string, unknown> {
  const raw = request.files?.requestData ?? params.requestData;
  if (raw === undefined || raw === '') return {};
  try {
    const parsed = JSON.parse(Buffer.isBuffer(raw) ? raw.toString('utf8') : String(raw));
    return parsed && typeof parsed === 'object' ? parsed : {};
  } catch {
    throw new AdminError('INVALID_PARAM', 'requestData is not JSON');
  }
}

/** Callback deliveries to make: 1 by default; 0 is a lost callback (only a query finds out). */
function countOf(value: unknown): number {
  if (value === undefined) return 1;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 20) {
    throw new HttpError(400, '"deliveries" must be an integer from 0 (a lost callback) to 20');
  }
  return value;
}

async function deliver(ctx: EmulatorContext, functionName: string, envId: string, event: unknown, number: number): Promise<Delivery> {
  const at = ctx.clock.now().toISOString();
  if (envId !== ctx.options.envId) {
    // Production would call the function in that other environment; here it never arrives.
    return {
      delivery: number,
      at,
      error: { errCode: -1, errMsg: `envId ${envId} is not this environment (${ctx.options.envId})` },
      acked: false,
    };
  }
  let outcome: InvokeResult;
  try {
    // Production invokes cloudPay pay and refund notices with SOURCE wx_paycallback (the payer is in the event).
    outcome = await ctx.functions.invoke(functionName, event, { source: 'wx_paycallback' });
  } catch (error) {
    outcome = { error: { errCode: -1, errMsg: String((error as Error)?.message ?? error) } };
  }
  if ('error' in outcome) return { delivery: number, at, error: outcome.error, acked: false };
  const result = outcome.result as { errcode?: unknown } | undefined;
  return { delivery: number, at, result: outcome.result, acked: !!result && typeof result === 'object' && result.errcode === 0 };
}

/** The control plane's view: the record plus what is left to refund; the dedupe fingerprint stays internal. */
function view(record: PaymentRecord): PaymentView {
  const { fingerprint: _fingerprint, ...rest } = record;
  const refunded = record.refunds.filter((r) => r.state === 'SUCCESS').reduce((sum, r) => sum + r.refundFee, 0);
  const pending = record.refunds.filter((r) => r.state === 'PROCESSING').reduce((sum, r) => sum + r.refundFee, 0);
  return {
    ...rest,
    refundedFee: refunded,
    pendingRefundFee: pending,
    refundableFee: record.state === 'SUCCESS' || record.state === 'REFUND' ? record.totalFee - refunded - pending : 0,
  };
}
