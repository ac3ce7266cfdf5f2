import { cloud } from './cloud';

/** Temp URLs for cloud file ids, 50 per call (the platform's limit); '' for a file storage does not have. */
export async function tempUrls(fileIDs: readonly string[]): Promise<string[]> {
  const unique = [...new Set(fileIDs)];
  const urls = new Map<string, string>();
  for (let i = 0; i < unique.length; i += 50) {
    const chunk = unique.slice(i, i + 50);
    const result = (await cloud.getTempFileURL({ fileList: chunk })) as {
      fileList: Array<{ fileID: string; tempFileURL: string; status?: number }>;
    };
    for (const item of result.fileList) if (!item.status) urls.set(item.fileID, item.tempFileURL);
  }
  return fileIDs.map((id) => urls.get(id) ?? '');
}

/** Temp URLs by file id for the ids given (empty and missing ids skipped): views look their images up in it. */
export async function tempUrlMap(fileIDs: ReadonlyArray<string | null | undefined>): Promise<Map<string, string>> {
  const ids = [...new Set(fileIDs.filter((id): id is string => !!id))];
  const urls = await tempUrls(ids);
  return new Map(ids.map((id, i) => [id, urls[i]]));
}
