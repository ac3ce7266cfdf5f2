import Taro from '@tarojs/taro';
import { callCloud } from './cloud';

/** A page of a product's reviews. */
export const REVIEW_PAGE_SIZE = 10;

/** The line to review and whether it can be reviewed now (the caller's own order only). */
export function target(orderId: string, line: number) {
  return callCloud('review', 'target', { orderId, line });
}

/** Reviews the line once; the server checks the text and photos with WeChat before writing anything. */
export function submit(input: { orderId: string; line: number; rating: number; text: string; photos: string[] }) {
  return callCloud('review', 'submit', input);
}

/** A product's visible reviews, newest first, with the average and count. */
export function productReviews(productId: string, cursor?: string, limit = REVIEW_PAGE_SIZE) {
  return callCloud('review', 'product', cursor ? { productId, cursor, limit } : { productId, limit });
}

/** Photos are uploaded from the mini-program straight to cloud storage; the H5 build (local use) has no client upload. */
export function canUploadPhotos(): boolean {
  return process.env.TARO_ENV === 'weapp';
}

/** Lets the member pick up to `count` photos (compressed by WeChat); answers their local paths. */
export async function choosePhotos(count: number): Promise<string[]> {
  const picked = await Taro.chooseMedia({ count, mediaType: ['image'], sizeType: ['compressed'], sourceType: ['album', 'camera'] });
  return picked.tempFiles.map((file) => file.tempFilePath);
}

/** Uploads one photo under the line's folder (`reviews/<orderId>/`); answers its cloud file id. */
export async function uploadPhoto(photoDir: string, localPath: string): Promise<string> {
  const ext = (/\.(jpe?g|png|webp|gif)$/i.exec(localPath)?.[1] ?? 'jpg').toLowerCase();
  const name = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.${ext}`;
  const uploaded = await Taro.cloud.uploadFile({ cloudPath: `${photoDir}${name}`, filePath: localPath });
  return uploaded.fileID;
}
