/** What `GET /_emu/functions/<name>/logs` keeps of each invocation. */

/** Past these, a chatty function cannot make the local cloud hold megabytes per invocation. */
const LINES_PER_INVOCATION = 500;
const TEXT_LIMIT = 8_000;

export interface LogLine {
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface InvocationLog {
  requestId: string;
  functionName: string;
  source: string;
  openid?: string;
  trigger?: string;
  pid?: number;
  /** Emulator time. */
  startedAt: string;
  durationMs: number;
  status: 'success' | 'error' | 'timeout' | 'crash';
  error?: { errCode: number; errMsg: string };
  lines: LogLine[];
}

/** Output arrives in chunks that may hold several lines, or end with a newline that opens none. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** Adds a line to an invocation's lines, clipped to the limits. */
export function appendLine(lines: LogLine[], line: LogLine): void {
  if (lines.length >= LINES_PER_INVOCATION) return;
  lines.push({ stream: line.stream, text: line.text.length > TEXT_LIMIT ? `${line.text.slice(0, TEXT_LIMIT)}…` : line.text });
}

/** Appends a finished invocation and drops the oldest beyond `limit`. */
export function keepLast(logs: InvocationLog[], log: InvocationLog, limit: number): void {
  logs.push(log);
  if (logs.length > limit) logs.splice(0, logs.length - limit);
}
