import { backoffDelay, sleep } from './backoff';

describe('backoffDelay', () => {
  const options = { initialMs: 100, maxMs: 1000 };

  it('doubles per attempt, with jitter between half and all of the step', () => {
    expect(backoffDelay(0, options, undefined, () => 0)).toBe(50);
    expect(backoffDelay(0, options, undefined, () => 1)).toBe(100);
    expect(backoffDelay(2, options, undefined, () => 1)).toBe(400);
  });

  it('never waits longer than the cap', () => {
    expect(backoffDelay(50, options, undefined, () => 1)).toBe(1000);
  });

  it('waits at least Retry-After, still capped', () => {
    expect(backoffDelay(0, options, 700, () => 0)).toBe(700);
    expect(backoffDelay(0, options, 5000, () => 0)).toBe(1000);
  });
});

describe('sleep', () => {
  it('ends early when the signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const slept = sleep(10_000, controller.signal);
    controller.abort();
    await slept;
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
