/**
 * Operational log for branch IT. Callers pass event names and non-personal facts only (method names,
 * codes, counts, durations) — personal data never reaches a log line.
 */
export interface EventLog {
  info(event: string, facts?: Record<string, string | number | boolean>): void;
  error(event: string, facts?: Record<string, string | number | boolean>): void;
}

export function consoleEventLog(stream: NodeJS.WritableStream = process.stderr): EventLog {
  const write = (level: string, event: string, facts?: Record<string, string | number | boolean>) =>
    stream.write(`${JSON.stringify({ at: new Date().toISOString(), level, event, ...facts })}\n`);
  return {
    info: (event, facts) => write('info', event, facts),
    error: (event, facts) => write('error', event, facts),
  };
}

export const silentEventLog: EventLog = { info: () => {}, error: () => {} };
