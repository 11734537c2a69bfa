/** The business day the day-close benchmark fills and closes, and its accounts' password. */
export const BENCH_DAY = '2026-11-25';
export const BENCH_PASSWORD = 'Bench-Kettle-31';
