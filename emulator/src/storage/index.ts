import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EmulatorModule } from '../context';
import { AdminError } from '../errors';
import { HttpError, prefixRoute, readBody, sendBuffer } from '../http';
import { checkCloudPath, cloudPathOf, contentTypeOf, diskPath, encodedPath, fileIdFor, urlSignature } from './paths';

/**
 * Cloud storage. The SDK's flow (node-sdk src/storage):
 * - uploadFile: `storage.getUploadMetadata { path, method: 'put' }` → `data { url, token,
 *   authorization, fileId, cosFileId }`, then a PUT of the bytes to `url` with `authorization`,
 *   `x-cos-security-token`, `x-cos-meta-fileid` headers; an empty body means success, an XML
 *   `<Error>` means failure.
 * - getTempFileURL: `storage.batchGetDownloadUrl { file_list: [{ fileid, max_age }] }` →
 *   `data.download_list [{ fileID, tempFileURL, code, maxAge }]`.
 * - downloadFile: the same with max_age 600, then a GET of `encodeURI(tempFileURL)`.
 * - deleteFile: `storage.batchDeleteFile { fileid_list }` → `data.delete_list [{ fileID, code }]`.
 * Files live under `<dataDir>/storage` (a temp dir when ephemeral), served on `/_emu/storage/<path>`.
 */

const ROUTE = '/_emu/storage/';
const UPLOAD_TTL_MS = 10 * 60_000;
const DEFAULT_MAX_AGE = 86_400;
const MAX_FILES_PER_CALL = 50;

export const storageModule: EmulatorModule = {
  name: 'storage',
  setup(ctx) {
    const root = ctx.options.ephemeral
      ? fs.mkdtempSync(path.join(os.tmpdir(), 'duet-storage-'))
      : path.join(ctx.options.dataDir, 'storage');
    fs.mkdirSync(root, { recursive: true });
    const envId = ctx.options.envId;
    const newSecret = () => {
      const secret = randomBytes(16).toString('hex');
      ctx.state.set('storage.secret', secret);
      return secret;
    };
    let urlSecret = ctx.state.get<string>('storage.secret') ?? newSecret();
    /** Upload grants handed out by getUploadMetadata, one PUT each. */
    const grants = new Map<string, { cloudPath: string; expiresAt: number }>();

    ctx.onReset(() => {
      grants.clear();
      // A temp URL handed out before the reset must not open a file uploaded after it.
      urlSecret = newSecret();
      for (const entry of fs.readdirSync(root)) fs.rmSync(path.join(root, entry), { recursive: true, force: true });
    });
    if (ctx.options.ephemeral) ctx.onClose(() => fs.rmSync(root, { recursive: true, force: true }));

    const fileOf = (cloudPath: string) => diskPath(root, cloudPath);
    const exists = (cloudPath: string) => {
      try {
        return fs.statSync(fileOf(cloudPath)).isFile();
      } catch {
        return false;
      }
    };

    ctx.action('storage.getUploadMetadata', (params) => {
      const cloudPath = params.path;
      const problem = checkCloudPath(cloudPath);
      if (problem) throw new AdminError('INVALID_PARAM', problem);
      const authorization = `q-sign-algorithm=sha1&q-ak=AKIDduetlocal&q-sign-time=${Math.floor(ctx.clock.nowMs() / 1000)};${Math.floor((ctx.clock.nowMs() + UPLOAD_TTL_MS) / 1000)}&q-key-time=&q-header-list=&q-url-param-list=&q-signature=${randomBytes(20).toString('hex')}`;
      grants.set(authorization, { cloudPath, expiresAt: ctx.clock.nowMs() + UPLOAD_TTL_MS });
      const fileId = fileIdFor(envId, cloudPath);
      return {
        data: {
          url: `${ctx.baseUrl}${ROUTE}${encodedPath(cloudPath)}`,
          token: randomBytes(24).toString('base64url'),
          authorization,
          fileId,
          cosFileId: randomBytes(12).toString('hex'),
          download_url: `${ctx.baseUrl}${ROUTE}${cloudPath}`,
        },
      };
    });

    ctx.action('storage.batchGetDownloadUrl', (params) => {
      const list = params.file_list;
      if (!Array.isArray(list) || list.length === 0) throw new AdminError('INVALID_PARAM', 'file_list must be a non-empty array');
      if (list.length > MAX_FILES_PER_CALL) throw new AdminError('INVALID_PARAM', `at most ${MAX_FILES_PER_CALL} files per call`);
      const download_list = list.map((item: { fileid?: unknown; max_age?: unknown }) => {
        const fileID = item?.fileid;
        const cloudPath = cloudPathOf(envId, fileID);
        if (!cloudPath || !exists(cloudPath)) {
          return { fileID, tempFileURL: '', code: 'STORAGE_FILE_NONEXIST', message: 'storage file not exists' };
        }
        const maxAge = typeof item.max_age === 'number' && item.max_age > 0 ? Math.floor(item.max_age) : DEFAULT_MAX_AGE;
        const expiresAt = Math.floor(ctx.clock.nowMs() / 1000) + maxAge;
        // Unencoded like production's: the SDK runs the URL through encodeURI before fetching it.
        const tempFileURL = `${ctx.baseUrl}${ROUTE}${cloudPath}?sign=${urlSignature(urlSecret, cloudPath, expiresAt)}&t=${expiresAt}`;
        return { fileID, tempFileURL, code: 'SUCCESS', maxAge };
      });
      return { data: { download_list } };
    });

    ctx.action('storage.batchDeleteFile', (params) => {
      const list = params.fileid_list;
      if (!Array.isArray(list) || list.length === 0) throw new AdminError('INVALID_PARAM', 'fileid_list must be a non-empty array');
      if (list.length > MAX_FILES_PER_CALL) throw new AdminError('INVALID_PARAM', `at most ${MAX_FILES_PER_CALL} files per call`);
      const delete_list = list.map((fileID: unknown) => {
        const cloudPath = cloudPathOf(envId, fileID);
        if (!cloudPath || !exists(cloudPath)) return { fileID, code: 'STORAGE_FILE_NONEXIST', message: 'storage file not exists' };
        fs.rmSync(fileOf(cloudPath), { force: true });
        pruneEmptyDirs(root, path.dirname(fileOf(cloudPath)));
        return { fileID, code: 'SUCCESS' };
      });
      return { data: { delete_list } };
    });

    // The COS side: the upload PUT and downloads.
    ctx.route(
      prefixRoute('PUT', ROUTE, async ({ req, res, params }) => {
        const cloudPath = params.rest ?? '';
        const problem = checkCloudPath(cloudPath);
        if (problem) return cosError(res, 400, 'InvalidURI', problem, cloudPath);
        const authorization = String(req.headers.authorization ?? '');
        const grant = grants.get(authorization);
        if (!grant || grant.cloudPath !== cloudPath) {
          return cosError(res, 403, 'SignatureDoesNotMatch', 'The Signature you specified does not match what we calculated.', cloudPath);
        }
        if (grant.expiresAt < ctx.clock.nowMs()) {
          grants.delete(authorization);
          return cosError(res, 403, 'AccessDenied', 'Request has expired', cloudPath);
        }
        const body = await readBody(req);
        grants.delete(authorization);
        const target = fileOf(cloudPath);
        // Write then rename: a reader never sees half a file.
        const partial = `${target}.${randomBytes(4).toString('hex')}.partial`;
        try {
          fs.mkdirSync(path.dirname(target), { recursive: true });
          fs.writeFileSync(partial, body);
          fs.renameSync(partial, target);
        } catch (error) {
          fs.rmSync(partial, { force: true });
          // A path that is both a file and a folder ("a" and "a/b") cannot live on disk.
          return cosError(
            res,
            409,
            'InvalidObjectName',
            `cannot store ${cloudPath}: ${(error as NodeJS.ErrnoException).code ?? error}`,
            cloudPath,
          );
        }
        res.writeHead(200, { etag: `"${randomBytes(16).toString('hex')}"`, 'content-length': 0 });
        res.end();
        return undefined;
      }),
    );

    ctx.route(
      prefixRoute('GET', ROUTE, ({ res, params, url }) => {
        const cloudPath = params.rest ?? '';
        const problem = checkCloudPath(cloudPath);
        if (problem) throw new HttpError(400, problem);
        const t = url.searchParams.get('t');
        const sign = url.searchParams.get('sign');
        // A bare path is served (the H5 app and the web UI use it); a temp URL is checked like COS does.
        if (t !== null || sign !== null) {
          const expiresAt = Number(t);
          if (!sign || !Number.isInteger(expiresAt) || sign !== urlSignature(urlSecret, cloudPath, expiresAt)) {
            return cosError(res, 403, 'AccessDenied', 'Access Denied.', cloudPath);
          }
          if (expiresAt * 1000 < ctx.clock.nowMs()) return cosError(res, 403, 'AccessDenied', 'Request has expired', cloudPath);
        }
        if (!exists(cloudPath)) return cosError(res, 404, 'NoSuchKey', 'The specified key does not exist.', cloudPath);
        sendBuffer(res, 200, fs.readFileSync(fileOf(cloudPath)), contentTypeOf(cloudPath));
        return undefined;
      }),
    );
  },
};

function cosError(res: import('node:http').ServerResponse, status: number, code: string, message: string, resource: string): undefined {
  const requestId = randomBytes(18).toString('base64');
  const xml =
    `<?xml version='1.0' encoding='utf-8' ?>\n<Error>\n\t<Code>${code}</Code>\n\t<Message>${escapeXml(message)}</Message>\n` +
    `\t<Resource>/${escapeXml(resource)}</Resource>\n\t<RequestId>${requestId}</RequestId>\n\t<TraceId>${randomBytes(24).toString('base64')}</TraceId>\n</Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml), 'x-cos-request-id': requestId });
  res.end(xml);
  return undefined;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function pruneEmptyDirs(root: string, dir: string): void {
  const top = path.resolve(root);
  let current = path.resolve(dir);
  while (current.startsWith(top + path.sep)) {
    try {
      if (fs.readdirSync(current).length > 0) return;
      fs.rmdirSync(current);
    } catch {
      return;
    }
    current = path.dirname(current);
  }
}
