import { afterEach, describe, expect, it, vi } from 'vitest';
import { withRetries } from '../../src/slack/events/uninstalled.js';

/**
 * A deletion after the app was removed that fails (the store is down) is tried again in the
 * background: Slack will not send the event again, since Bolt acknowledged it before the listener ran.
 */
describe('deleting after an uninstall, when the store fails', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('tries again after each wait until it succeeds, and says when it will try next', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let calls = 0;
    const work = vi.fn(async () => {
      calls++;
      if (calls < 3) throw new Error('store unreachable');
    });
    const failures: (number | undefined)[] = [];
    await withRetries(work, [5_000, 30_000, 120_000], (_error, next) => failures.push(next));
    expect(work).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(work).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(work).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(work).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(600_000);
    expect(work).toHaveBeenCalledTimes(3);
    expect(failures).toEqual([5_000, 30_000]);
  });

  it('gives up after the last wait, and says so', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const work = vi.fn(async () => {
      throw new Error('store unreachable');
    });
    const failures: (number | undefined)[] = [];
    await withRetries(work, [1_000, 2_000], (_error, next) => failures.push(next));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(work).toHaveBeenCalledTimes(3);
    expect(failures).toEqual([1_000, 2_000, undefined]);
  });
});
