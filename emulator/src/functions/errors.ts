/**
 * How the platform reports a failed invocation. `code` is the backend's string code (what
 * `POST /admin` answers, the SDK turns it into a thrown error with that message); `errCode` is
 * the number the mini-program client sees (`cloud.callFunction:fail errCode: -504003 ...`).
 */
export interface InvokeFailure {
  errCode: number;
  code: string;
  errMsg: string;
}

export const FUNCTION_NOT_FOUND = (_name: string): InvokeFailure => ({
  errCode: -501000,
  code: 'FUNCTION_NOT_FOUND',
  errMsg: 'FunctionName parameter could not be found.',
});

export const TIMED_OUT = (seconds: number): InvokeFailure => ({
  errCode: -504003,
  code: 'FUNCTIONS_TIME_LIMIT_EXCEEDED',
  errMsg: `Invoking task timed out after ${seconds} seconds`,
});

export const EXECUTE_FAIL = (detail: string): InvokeFailure => ({
  errCode: -504002,
  code: 'FUNCTIONS_EXECUTE_FAIL',
  errMsg: detail,
});

const BY_ERRCODE: Record<number, string> = {
  [-501000]: 'FUNCTION_NOT_FOUND',
  [-504002]: 'FUNCTIONS_EXECUTE_FAIL',
  [-504003]: 'FUNCTIONS_TIME_LIMIT_EXCEEDED',
};

export function backendCode(errCode: number): string {
  return BY_ERRCODE[errCode] ?? 'FUNCTIONS_EXECUTE_FAIL';
}

/** SCF shows a thrown error as its stack (name: message, then frames). */
export function describeThrown(error: { name?: string; message?: string; stack?: string } | undefined): string {
  if (!error) return 'unknown error';
  if (error.stack?.includes(error.message ?? '')) return error.stack;
  return `${error.name ?? 'Error'}: ${error.message ?? ''}`;
}
