import { DEFAULT_TIME_ZONE, wallClockIn } from '../../electron/core/clock';

const DAY_MS = 86_400_000;

/**
 * Milliseconds from `now` to the next midnight in `timeZone`, when the preview's business date turns over (a day
 * not closed by then ends at midnight: businessDays.ts). Whole-hour zones without daylight saving (the branch's
 * Asia/Shanghai), which is what the tests run in.
 */
export function msToNextDate(now: Date, timeZone: string = DEFAULT_TIME_ZONE): number {
  const clock = wallClockIn(now, timeZone);
  const [hours, minutes, seconds] = clock.slice(11).split(':').map(Number) as [number, number, number];
  return DAY_MS - ((hours * 60 + minutes) * 60 + seconds) * 1000 - now.getUTCMilliseconds();
}

/**
 * The browser tests run the preview on the real clock and seed it on "today": a test that spans the branch's
 * midnight sees its requests on yesterday's board and fails for no fault of the product. Before a test that could
 * still be running at midnight (`windowMs`: its timeout and its hooks), this waits until the date has turned,
 * and says so; any other time it returns at once. Returns how long it waited.
 */
export async function awayFromDateChange(
  windowMs: number,
  options: { now?: () => Date; sleep?: (ms: number) => Promise<void>; say?: (line: string) => void; timeZone?: string } = {},
): Promise<number> {
  const now = options.now ?? (() => new Date());
  const left = msToNextDate(now(), options.timeZone);
  if (left > windowMs) return 0;
  const wait = left + 2_000;
  (options.say ?? ((line) => process.stderr.write(`${line}\n`)))(`the business date turns in ${Math.ceil(left / 1000)} s: waiting ${Math.ceil(wait / 1000)} s so this test runs on one date`);
  await (options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))))(wait);
  return wait;
}
