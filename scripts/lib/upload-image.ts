import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createCloudClient } from '../../emulator/src/client';

const require = createRequire(import.meta.url);

const TYPES: Record<string, string> = { '.png': 'png', '.jpg': 'jpg', '.jpeg': 'jpg', '.webp': 'webp', '.gif': 'gif' };
/** WeChat shows product pictures well below this; a bigger file is a camera original, not a product image. */
export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;

/** Why a file cannot be a product image, or null. */
export function imageProblem(file: string, bytes: Buffer): string | null {
  const type = TYPES[path.extname(file).toLowerCase()];
  if (!type) return `${file}: a product image is a .png, .jpg, .webp or .gif file`;
  if (bytes.length === 0) return `${file} is empty`;
  if (bytes.length > MAX_IMAGE_BYTES)
    return `${file} is ${Math.round(bytes.length / 1024)} KB; at most ${MAX_IMAGE_BYTES / 1024 / 1024} MB`;
  const magic: Record<string, number[]> = {
    png: [0x89, 0x50, 0x4e, 0x47],
    jpg: [0xff, 0xd8, 0xff],
    gif: [0x47, 0x49, 0x46],
    webp: [0x52, 0x49, 0x46, 0x46],
  };
  if (!magic[type].every((byte, i) => bytes[i] === byte)) return `${file} is not a ${type.toUpperCase()} image`;
  return null;
}

/**
 * Uploads image files to the local cloud's storage with the real wx-server-sdk (`uploadFile`:
 * `storage.getUploadMetadata`, then a PUT), as a function would, and answers their file ids. The
 * path is the content's hash, so uploading the same picture again gives the same file id (a re-run
 * of createProduct then finds the same product).
 */
export async function uploadImages(baseUrl: string, files: readonly string[]): Promise<string[]> {
  const images = files.map((file) => {
    const full = path.resolve(file);
    if (!fs.existsSync(full)) throw new Error(`no such file: ${full}`);
    const bytes = fs.readFileSync(full);
    const problem = imageProblem(file, bytes);
    if (problem) throw new Error(problem);
    return { bytes, type: TYPES[path.extname(file).toLowerCase()] };
  });
  const health = await createCloudClient(baseUrl).health();
  process.env.TCB_CONTEXT_CNFG = JSON.stringify({ URL: `${baseUrl}/admin` });
  process.env.TENCENTCLOUD_SECRETID ??= 'local-cloud-id';
  process.env.TENCENTCLOUD_SECRETKEY ??= 'local-cloud-key';
  process.env.TENCENTCLOUD_RUNENV = 'SCF';
  process.env.TENCENTCLOUD_REGION ??= 'ap-shanghai';
  process.env.TCB_ENV = health.env;
  process.env.SCF_NAMESPACE = health.env;
  const cloud = require('wx-server-sdk');
  cloud.init({ env: health.env });
  const fileIds: string[] = [];
  for (const { bytes, type } of images) {
    const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 24);
    const uploaded = await cloud.uploadFile({ cloudPath: `products/${hash}.${type}`, fileContent: bytes });
    fileIds.push(uploaded.fileID);
  }
  return fileIds;
}
