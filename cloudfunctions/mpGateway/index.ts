import { envProbe } from '../../server/env-probe';
import { handleMpRequest, type HttpEvent } from '../../server/mp/handle-request';

// HTTP-triggered (云函数 HTTP 访问服务): WeChat's server check and message pushes for the 公众号. The
// doctor's variable probe comes through callFunction from the console only (never over HTTP).
export const main = async (event: HttpEvent, context?: { request_id?: string }) =>
  envProbe(event) ?? handleMpRequest(event, context, new Date());
