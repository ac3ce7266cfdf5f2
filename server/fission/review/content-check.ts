import { CONTENT_MESSAGES, type ContentVerdict, contentVerdict } from '../../../core/fission/review';
import { DuetError } from '../../../core/errors';
import { cloud } from '../../cloud';
import { Deadline, withDeadline } from '../../deadline';
import { log } from '../../log';

/**
 * WeChat's content checks for a review, called before anything is written: the text through
 * `security.msgSecCheck` v2 (scene 2, 评论, the reviewer's mini-program openid) and each photo
 * through `security.imgSecCheck` (its bytes read from cloud storage). A risky verdict refuses
 * with the Chinese reason; no answer in time, or an error, refuses with "try again" — never a pass.
 */

/** How long one check may take before the review is refused with "try again". */
const CHECK_DEADLINE_MS = 5_000;
/** imgSecCheck takes images up to 1 MB. */
const MAX_PHOTO_BYTES = 1024 * 1024;

/** errcode of a failed SDK call, or null when nobody answered. */
function errcodeOf(error: unknown): number | null {
  if (error instanceof Deadline) return null;
  const code = (error as { errCode?: unknown })?.errCode;
  return typeof code === 'number' ? code : null;
}

export async function checkText(openid: string, content: string): Promise<ContentVerdict> {
  if (!content) return 'pass';
  try {
    const answer = (await withDeadline(
      cloud.openapi.security.msgSecCheck({ openid, scene: 2, version: 2, content }),
      CHECK_DEADLINE_MS,
      'security.msgSecCheck',
    )) as { errCode?: number; result?: { suggest?: string; label?: number } };
    return contentVerdict({ errcode: answer?.errCode ?? 0, suggest: answer?.result?.suggest ?? null });
  } catch (error) {
    const errcode = errcodeOf(error);
    if (errcode === null) log('warn', { event: 'review.msg_sec_check.no_answer', error: String((error as Error)?.message ?? error) });
    return contentVerdict({ errcode });
  }
}

function contentTypeOf(fileId: string): string {
  const ext = fileId.split('.').pop()?.toLowerCase();
  if (ext === 'png') return 'image/png';
  if (ext === 'gif') return 'image/gif';
  if (ext === 'webp') return 'image/webp';
  return 'image/jpeg';
}

/** A photo's verdict; a file storage does not have is refused as invalid (the app uploads before submitting). */
export async function checkPhoto(fileId: string): Promise<ContentVerdict> {
  let bytes: Buffer;
  try {
    const downloaded = (await withDeadline(cloud.downloadFile({ fileID: fileId }), CHECK_DEADLINE_MS, 'downloadFile')) as {
      fileContent: Buffer;
    };
    bytes = downloaded.fileContent;
  } catch (error) {
    if (error instanceof Deadline) return 'unavailable';
    throw new DuetError('INVALID_ARGUMENT', `review photo ${fileId} is not in storage`, {
      reason: 'photo_missing',
      message: '有图片上传未完成，请重新上传',
    });
  }
  if (bytes.length === 0 || bytes.length > MAX_PHOTO_BYTES) {
    throw new DuetError('INVALID_ARGUMENT', `review photo ${fileId} is ${bytes.length} bytes (1 MB at most)`, {
      reason: 'photo_size',
      message: '图片过大，请选择 1MB 以内的图片',
    });
  }
  try {
    const answer = (await withDeadline(
      cloud.openapi.security.imgSecCheck({ media: { contentType: contentTypeOf(fileId), value: bytes } }),
      CHECK_DEADLINE_MS,
      'security.imgSecCheck',
    )) as { errCode?: number };
    return contentVerdict({ errcode: answer?.errCode ?? 0 });
  } catch (error) {
    return contentVerdict({ errcode: errcodeOf(error) });
  }
}

/** Every check at once; the first refusal found is thrown (risky before "try again"). */
export async function assertContentPasses(openid: string, text: string, photos: readonly string[]): Promise<void> {
  const [textVerdict, ...photoVerdicts] = await Promise.all([checkText(openid, text), ...photos.map(checkPhoto)]);
  if (textVerdict === 'risky') {
    throw new DuetError('INVALID_ARGUMENT', 'review text failed msgSecCheck', { reason: 'risky_text', message: CONTENT_MESSAGES.text });
  }
  if (photoVerdicts.includes('risky')) {
    throw new DuetError('INVALID_ARGUMENT', 'a review photo failed imgSecCheck', {
      reason: 'risky_photo',
      message: CONTENT_MESSAGES.photo,
    });
  }
  if (textVerdict === 'unavailable' || photoVerdicts.includes('unavailable')) {
    throw new DuetError('UNAVAILABLE', 'a content check did not answer; nothing was stored', {
      reason: 'check_unavailable',
      message: CONTENT_MESSAGES.unavailable,
    });
  }
}
