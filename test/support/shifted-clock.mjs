/**
 * Loaded into an app process by a test (NODE_OPTIONS="--import <this file>") to set that process's
 * wall clock: every reading of the date and time (`Date.now()`, `new Date()`, `Date()`) is
 * TEST_CLOCK_OFFSET_MS later than this machine's, as on a machine whose clock says another date.
 * Timers still run on real time. The app itself is not changed, and has no hook for this: the test
 * runs the real process, with its own code, on a date it chooses (the days around a daylight-saving
 * change, a working day at 10:00).
 *
 * Plain JavaScript, because it is loaded before tsx.
 */
const offset = Number(process.env.TEST_CLOCK_OFFSET_MS);
if (!Number.isFinite(offset)) {
  throw new Error('shifted-clock.mjs: TEST_CLOCK_OFFSET_MS must be a number of milliseconds');
}
const RealDate = globalThis.Date;
const now = () => RealDate.now() + offset;
globalThis.Date = new Proxy(RealDate, {
  construct: (target, args, newTarget) =>
    Reflect.construct(target, args.length === 0 ? [now()] : args, newTarget),
  apply: () => new RealDate(now()).toString(),
  get: (target, property, receiver) => (property === 'now' ? now : Reflect.get(target, property, receiver)),
});
