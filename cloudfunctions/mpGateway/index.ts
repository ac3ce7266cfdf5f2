import { handleMpRequest, type HttpEvent } from '../../server/mp/handle-request';

// HTTP-triggered (云函数 HTTP 访问服务): WeChat's server check and message pushes for the 公众号.
export const main = (event: HttpEvent, context?: { request_id?: string }) => handleMpRequest(event, context, new Date());
