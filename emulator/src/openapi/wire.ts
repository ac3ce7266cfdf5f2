import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * The protobuf envelope of `wx.openApi`, taken from the pinned wx-server-sdk itself rather than
 * hand-copied: loading the SDK registers its generated types (`CommApiData`, `CommOpenApiResp`, ...)
 * in the `protobufjs/minimal` copy the SDK resolves, so whatever the SDK encodes we decode with the
 * very same schema, and what we encode it decodes.
 */
interface PbType<T> {
  encode(message: Partial<T>): { finish(): Uint8Array };
  decode(buffer: Uint8Array): T;
  toObject(message: T, options?: Record<string, unknown>): Record<string, unknown>;
}

export interface KeyValuePair {
  key: string;
  value: Uint8Array;
  contenttype: string;
  filename: string;
}

export interface CommApiData {
  apiType: number;
  openapiData?: { pairs: KeyValuePair[] } | null;
  svrkitData?: { apiName: string; reqData: Uint8Array } | null;
  appid: string;
}

export interface CommOpenApiResp {
  respData: Uint8Array;
  contentType: string;
  errorCode: number;
  httpCode: number;
  svrkitErrorCode: number;
}

export interface SdkProtobuf {
  CommApiData: PbType<CommApiData> & { ApiType: Record<string, number> };
  CommOpenApiResp: PbType<CommOpenApiResp>;
}

let cached: SdkProtobuf | undefined;

// Works under tsx/CJS (`__filename`) and under vitest/ESM (`import.meta.url`).
const here = typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url);

export function sdkProtobuf(): SdkProtobuf {
  if (cached) return cached;
  const fromHere = createRequire(here);
  const sdkPath = fromHere.resolve('wx-server-sdk');
  // Evaluating the SDK bundle runs its protobuf module, which fills `roots.default`.
  fromHere(sdkPath);
  const protobuf = createRequire(sdkPath)('protobufjs/minimal') as { roots: Record<string, any> };
  const root = protobuf.roots.default;
  if (!root?.CommApiData || !root?.CommOpenApiResp) {
    throw new Error('wx-server-sdk did not register its openapi protobuf types (CommApiData, CommOpenApiResp)');
  }
  cached = { CommApiData: root.CommApiData, CommOpenApiResp: root.CommOpenApiResp };
  return cached;
}

/** A decoded pair: JSON values as parsed JSON, media uploads (pairs with a filename) as raw bytes. */
export type OpenApiParam = unknown | { filename: string; contentType?: string; bytes: Buffer };

export interface DecodedOpenApiRequest {
  apiType: 'OPEN_API' | 'INNER_API' | 'SVRKIT_API' | 'TOKEN_API' | string;
  appid: string;
  /** Top-level request fields, snake_case as the SDK sends them. */
  params: Record<string, unknown>;
  /** Media parts (customerServiceMessage.uploadTempMedia's `media`, ...). */
  media: Record<string, { filename: string; bytes: Buffer }>;
  /** For SVRKIT_API calls (getOpenData, getVoIPSign, ...): the inner api name. */
  svrkitApi?: string;
}

export function decodeOpenApiRequest(requestData: Buffer): DecodedOpenApiRequest {
  const pb = sdkProtobuf();
  const message = pb.CommApiData.decode(requestData);
  const apiTypeName = Object.entries(pb.CommApiData.ApiType).find(([, value]) => value === message.apiType)?.[0] ?? String(message.apiType);
  const params: Record<string, unknown> = {};
  const media: DecodedOpenApiRequest['media'] = {};
  for (const pair of message.openapiData?.pairs ?? []) {
    const bytes = Buffer.from(pair.value ?? []);
    if (pair.filename) {
      media[pair.key] = { filename: pair.filename, bytes };
      params[pair.key] = { filename: pair.filename, size: bytes.length };
      continue;
    }
    const text = bytes.toString('utf8');
    try {
      params[pair.key] = JSON.parse(text);
    } catch {
      params[pair.key] = text;
    }
  }
  return {
    apiType: apiTypeName,
    appid: message.appid ?? '',
    params,
    media,
    svrkitApi: message.svrkitData?.apiName || undefined,
  };
}

/** A WeChat API answer: the JSON body WeChat sends, carried in `CommOpenApiResp.respData`. */
export function encodeJsonResponse(body: Record<string, unknown>): Buffer {
  const pb = sdkProtobuf();
  return Buffer.from(
    pb.CommOpenApiResp.encode({
      respData: Buffer.from(JSON.stringify(body)),
      // WeChat's API servers label JSON this way; the SDK matches /application\/json/.
      contentType: 'application/json; encoding=utf-8',
      httpCode: 200,
    }).finish(),
  );
}

/** A binary answer (an image): the SDK returns `{ contentType, buffer }` to the caller. */
export function encodeBinaryResponse(bytes: Buffer, contentType: string): Buffer {
  const pb = sdkProtobuf();
  return Buffer.from(pb.CommOpenApiResp.encode({ respData: bytes, contentType, httpCode: 200 }).finish());
}

/**
 * A failure of the cloud-call gateway itself (no permission, API not found): production sets
 * `CommOpenApiResp.errorCode` and no body; the SDK throws `errCode: <code>` with
 * `errMsg: 'system error: error code: <code>'`.
 */
export function encodeGatewayError(errorCode: number): Buffer {
  const pb = sdkProtobuf();
  return Buffer.from(pb.CommOpenApiResp.encode({ errorCode, httpCode: 200 }).finish());
}
