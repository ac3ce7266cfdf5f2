import type { IncomingMessage } from 'node:http';
import { HttpError } from './http';

export interface ParsedAdminRequest {
  params: Record<string, any>;
  files?: Record<string, Buffer>;
}

/**
 * The SDK posts JSON for most actions and multipart/form-data for `wx.openApi` (its protobuf
 * body travels as a file part). Both end up as a flat `params` object; file parts are kept raw.
 */
export function parseAdminRequest(req: IncomingMessage, body: Buffer): ParsedAdminRequest {
  const type = String(req.headers['content-type'] ?? '');
  if (type.startsWith('multipart/form-data')) {
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(type);
    if (!boundary) throw new HttpError(400, 'multipart body without boundary');
    return parseMultipart(body, boundary[1] ?? boundary[2] ?? '');
  }
  if (body.length === 0) return { params: {} };
  try {
    return { params: JSON.parse(body.toString('utf8')) };
  } catch {
    throw new HttpError(400, 'admin body is not JSON');
  }
}

function parseMultipart(body: Buffer, boundary: string): ParsedAdminRequest {
  const params: Record<string, any> = {};
  const files: Record<string, Buffer> = {};
  const delimiter = Buffer.from(`--${boundary}`);
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const partStart = start + delimiter.length;
    if (body.subarray(partStart, partStart + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, partStart);
    if (next === -1) break;
    // Each part: CRLF, headers, CRLF CRLF, content, CRLF before the next delimiter.
    const part = body.subarray(partStart + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const content = part.subarray(headerEnd + 4);
      const name = /name="([^"]*)"/i.exec(headers)?.[1];
      if (name !== undefined) {
        if (/filename="/i.test(headers) || /content-type:\s*application\/octet-stream/i.test(headers)) {
          files[name] = Buffer.from(content);
        } else {
          params[name] = content.toString('utf8');
        }
      }
    }
    start = next;
  }
  return { params, files };
}
