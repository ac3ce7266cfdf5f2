import { createHmac } from 'node:crypto';
import path from 'node:path';

/**
 * Cloud paths, file ids and temporary URLs. Pure: the module wires them to disk and HTTP.
 */

/**
 * A cloud path the local cloud accepts: relative, `/`-separated, no `.`/`..` segments, no
 * empty segments, no backslashes or control characters, and no `?`/`#` (the SDK puts temp
 * URLs through `encodeURI`, which leaves those two unescaped and would cut the path).
 * Returns the reason when refused.
 */
export function checkCloudPath(cloudPath: unknown): string | undefined {
  if (typeof cloudPath !== 'string' || cloudPath.length === 0) return 'cloudPath must be a non-empty string';
  if (Buffer.byteLength(cloudPath) > 850) return 'cloudPath is longer than 850 bytes';
  if (cloudPath.startsWith('/')) return 'cloudPath must not start with /';
  for (const char of cloudPath) {
    const code = char.charCodeAt(0);
    if (code < 0x20 || code === 0x7f || char === '\\' || char === '?' || char === '#') {
      return 'cloudPath contains a forbidden character (\\, ?, # or a control character)';
    }
  }
  const segments = cloudPath.split('/');
  if (segments.some((s) => s === '')) return 'cloudPath has an empty segment (// or a trailing /)';
  if (segments.some((s) => s === '.' || s === '..')) return 'cloudPath must not contain . or .. segments';
  return undefined;
}

/** The file on disk for a checked cloud path; throws if it would leave the root anyway. */
export function diskPath(root: string, cloudPath: string): string {
  const resolved = path.resolve(root, ...cloudPath.split('/'));
  if (!resolved.startsWith(path.resolve(root) + path.sep)) throw new Error(`cloudPath escapes the storage root: ${cloudPath}`);
  return resolved;
}

/**
 * Production buckets are `<hex of the env id's first two chars>-<env id>-<app number>`, and
 * file ids `cloud://<env id>.<bucket>/<path>`.
 */
export function bucketFor(envId: string): string {
  return `${Buffer.from(envId.slice(0, 2), 'utf8').toString('hex')}-${envId}-1300000000`;
}

export function fileIdFor(envId: string, cloudPath: string): string {
  return `cloud://${envId}.${bucketFor(envId)}/${cloudPath}`;
}

/** The cloud path inside a file id of this environment, or undefined for anything else. */
export function cloudPathOf(envId: string, fileId: unknown): string | undefined {
  if (typeof fileId !== 'string') return undefined;
  const prefix = `cloud://${envId}.${bucketFor(envId)}/`;
  if (!fileId.startsWith(prefix)) return undefined;
  const cloudPath = fileId.slice(prefix.length);
  return checkCloudPath(cloudPath) ? undefined : cloudPath;
}

/** Each segment percent-encoded: for URLs the SDK uses as they are (the upload PUT). */
export function encodedPath(cloudPath: string): string {
  return cloudPath.split('/').map(encodeURIComponent).join('/');
}

export function urlSignature(secret: string, cloudPath: string, expiresAt: number): string {
  return createHmac('sha1', secret).update(`${cloudPath}\n${expiresAt}`).digest('hex');
}

const TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.bmp': 'image/bmp',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.pdf': 'application/pdf',
  '.zip': 'application/zip',
  '.mp3': 'audio/mpeg',
  '.mp4': 'video/mp4',
  '.wav': 'audio/wav',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

export function contentTypeOf(cloudPath: string): string {
  return TYPES[path.extname(cloudPath).toLowerCase()] ?? 'application/octet-stream';
}
