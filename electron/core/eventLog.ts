import { appendFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

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

const LOG_NAME = /^events-(\d{4}-\d{2}-\d{2})\.log$/;

/**
 * The event log as branch IT reads it on the counter machine: one JSON line per event in
 * `<dir>/events-YYYY-MM-DD.log` (UTC dates), appended synchronously so a crash loses no line, files older
 * than `keepDays` removed when the log opens. A line that cannot be written goes to stderr instead: the log
 * never stops the counter's work.
 */
export function fileEventLog(dir: string, options: { keepDays?: number; now?: () => Date } = {}): EventLog {
  const now = options.now ?? (() => new Date());
  const keepDays = options.keepDays ?? 180;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const cutoff = new Date(now().getTime() - keepDays * 86_400_000).toISOString().slice(0, 10);
    for (const name of readdirSync(dir)) {
      const date = LOG_NAME.exec(name)?.[1];
      if (date && date < cutoff) rmSync(join(dir, name), { force: true });
    }
  } catch {
    // An unwritable folder is reported line by line below.
  }
  const write = (level: string, event: string, facts?: Record<string, string | number | boolean>) => {
    const at = now().toISOString();
    const line = `${JSON.stringify({ at, level, event, ...facts })}\n`;
    try {
      appendFileSync(join(dir, `events-${at.slice(0, 10)}.log`), line, { mode: 0o600 });
    } catch {
      process.stderr.write(line);
    }
  };
  return {
    info: (event, facts) => write('info', event, facts),
    error: (event, facts) => write('error', event, facts),
  };
}
