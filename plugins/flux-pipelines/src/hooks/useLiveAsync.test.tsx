import { TestApiProvider } from '@backstage/test-utils';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { act, renderHook } from '@testing-library/react';
import { ReactNode } from 'react';
import { testSignals } from '../__testUtils__/fixtures';
import { LiveOptions, SIGNAL_THROTTLE_MS, useLiveAsync } from './useLiveAsync';

const changed = { type: 'deployments-changed', targets: [] };

/** The hook with signals; `loads` counts how often it loaded, `renders` what each render saw. */
function renderLive<T = number>(
  load: () => Promise<T> = async () => 1 as T,
  options: LiveOptions<T> = {},
) {
  const { signalApi, send } = testSignals();
  const loads = jest.fn(load);
  const wrapper = ({ children }: { children: ReactNode }) => (
    <TestApiProvider apis={[[signalApiRef, signalApi]]}>
      {children}
    </TestApiProvider>
  );
  const renders: Array<{ loading: boolean; value?: T }> = [];
  const hook = renderHook(
    () => {
      const state = useLiveAsync(loads, [], options);
      renders.push({ loading: state.loading, value: state.value });
      return state;
    },
    { wrapper },
  );
  /** Lets the loads that started settle, without moving the clock. */
  const settle = () => act(async () => {});
  const signal = async (message: object = changed) => {
    act(() => send({ ...message })); // each message a new object, as received
    await settle();
  };
  const wait = (ms: number) =>
    act(async () => {
      jest.advanceTimersByTime(ms);
    });
  return { hook, loads, renders, signal, settle, wait };
}

describe('useLiveAsync', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('reloads at once when a change is announced after a quiet spell', async () => {
    const { loads, signal, settle, wait } = renderLive();
    await settle();
    expect(loads).toHaveBeenCalledTimes(1);
    await wait(SIGNAL_THROTTLE_MS * 2);

    await signal();
    expect(loads).toHaveBeenCalledTimes(2); // no timer had to pass
  });

  it('reloads once at once and once at the end for a burst of changes', async () => {
    const { loads, signal, settle, wait } = renderLive();
    await settle();
    await wait(SIGNAL_THROTTLE_MS * 2);

    await signal();
    expect(loads).toHaveBeenCalledTimes(2);
    for (let i = 0; i < 5; i++) {
      await wait(20);
      await signal();
    }
    // the rest of the burst waits for the interval, then costs one reload
    expect(loads).toHaveBeenCalledTimes(2);
    await wait(SIGNAL_THROTTLE_MS);
    expect(loads).toHaveBeenCalledTimes(3);
    await wait(SIGNAL_THROTTLE_MS * 4);
    expect(loads).toHaveBeenCalledTimes(3);
  });

  it('keeps reloading while changes keep coming, at most once per interval', async () => {
    const { loads, signal, settle, wait } = renderLive();
    await settle();
    await wait(SIGNAL_THROTTLE_MS * 2);

    // a change every 50 ms for 10 intervals: a debounce would never reload
    for (let i = 0; i < (SIGNAL_THROTTLE_MS / 50) * 10; i++) {
      await signal();
      await wait(50);
    }
    const reloads = loads.mock.calls.length - 1;
    expect(reloads).toBeGreaterThanOrEqual(9);
    expect(reloads).toBeLessThanOrEqual(11);
  });

  it('shows the newest value after a change announced during a slow load', async () => {
    let value = 1;
    let finish: () => void = () => {};
    const { hook, loads, signal, settle, wait } = renderLive(
      () =>
        new Promise<number>(resolve => {
          const now = value;
          finish = () => resolve(now);
        }),
    );
    act(() => finish());
    await settle();
    expect(hook.result.current.value).toBe(1);
    await wait(SIGNAL_THROTTLE_MS * 2);

    value = 2;
    await signal(); // reloads at once, and that load is slow
    expect(loads).toHaveBeenCalledTimes(2);
    value = 3;
    await signal(); // announced while the load runs
    await wait(SIGNAL_THROTTLE_MS * 2);
    expect(loads).toHaveBeenCalledTimes(2); // never two loads at once
    act(() => finish());
    await settle();
    expect(loads).toHaveBeenCalledTimes(3);
    act(() => finish());
    await settle();
    expect(hook.result.current.value).toBe(3);
  });

  it('ignores the signals that do not concern what it shows', async () => {
    const { loads, signal, settle, wait } = renderLive(async () => 1, {
      concerns: message => message.type !== 'pipelines-changed',
    });
    await settle();
    await wait(SIGNAL_THROTTLE_MS * 2);

    await signal({ type: 'pipelines-changed', pipelines: [] });
    await wait(SIGNAL_THROTTLE_MS * 2);
    expect(loads).toHaveBeenCalledTimes(1);
    await signal();
    expect(loads).toHaveBeenCalledTimes(2);
  });

  it('waits for the interval first when told not to reload at once', async () => {
    const { loads, signal, settle, wait } = renderLive(async () => 1, {
      leading: false,
    });
    await settle();
    await wait(SIGNAL_THROTTLE_MS * 2);

    await signal();
    await signal();
    expect(loads).toHaveBeenCalledTimes(1);
    await wait(SIGNAL_THROTTLE_MS);
    expect(loads).toHaveBeenCalledTimes(2);
  });

  it('does not draw again when a reload answers what is shown', async () => {
    let answer = { version: '6.5.1' };
    const { hook, loads, renders, signal, settle, wait } = renderLive(
      async () => ({ ...answer }), // a new object each time, as from JSON
    );
    await settle();
    const shown = hook.result.current.value;
    expect(shown).toEqual({ version: '6.5.1' });
    const before = renders.length;

    await wait(SIGNAL_THROTTLE_MS * 2);
    await signal();
    await wait(SIGNAL_THROTTLE_MS * 2);
    expect(loads).toHaveBeenCalledTimes(2);
    expect(renders.length).toBe(before); // nothing changed: not drawn again
    expect(hook.result.current.value).toBe(shown);

    answer = { version: '6.5.2' };
    await signal();
    await settle();
    expect(hook.result.current.value).toEqual({ version: '6.5.2' });
    // a reload for a signal never shows as loading: one render, the new value
    expect(renders.slice(before)).toEqual([
      { loading: false, value: { version: '6.5.2' } },
    ]);
  });

  it('shows loading when the component asks for a load', async () => {
    const { hook, renders, settle } = renderLive(async () => 7);
    await settle();
    const before = renders.length;
    act(() => hook.result.current.retry());
    await settle();
    expect(renders.slice(before).map(r => r.loading)).toEqual([true, false]);
    expect(hook.result.current.value).toBe(7);
  });
});
