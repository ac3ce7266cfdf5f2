/**
 * An error answered to the SDK as `{ code, message, requestId }` (HTTP 200), the shape the
 * real backend uses; the SDK maps `code` to its numeric errCode table. `code` is the backend's
 * string code (e.g. `DATABASE_COLLECTION_NOT_EXIST`), `message` the text production sends.
 */
export class AdminError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** Extra fields some SDK paths read (e.g. `errCode` for wx.openApi). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
