/**
 * Structured one-line logs: the cloud console and the local cloud both show stdout/stderr per
 * request. `time` is when the line was written (wall time, like any log), never domain time.
 */
export function log(level: 'info' | 'warn' | 'error', fields: Record<string, unknown>): void {
  const line = JSON.stringify({ level, time: new Date().toISOString(), ...fields });
  if (level === 'error') console.error(line);
  else console.log(line);
}
