import {
  Observation,
  TargetDeployment,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { correlateObservations } from './correlateDeployments';

const T = (minute: number, second = 0) =>
  new Date(Date.UTC(2026, 10, 26, 9, minute, second)).toISOString();

let n = 0;
function obs(
  action: Observation['action'],
  outcome: Observation['outcome'],
  time: string,
  extra: Partial<Observation> = {},
): Observation {
  n += 1;
  return {
    cluster: 'main',
    namespace: 'dev',
    kind: 'HelmRelease',
    name: 'podinfo',
    action,
    outcome,
    reason: outcome === 'failed' ? 'error' : 'info',
    message: `Helm ${action} ${outcome}`,
    time,
    source: 'event',
    dedupKey: `k${n}`,
    ...extra,
  };
}

/** Applies the observations in order and returns the state by version. */
function replay(observations: Observation[]) {
  const state = new Map<string, TargetDeployment>();
  for (const o of observations) {
    for (const d of correlateObservations([...state.values()], [o])) {
      state.set(d.chartVersion, d);
    }
  }
  return Object.fromEntries(state);
}

const started = (version: string, time: string) =>
  obs('progress', 'progressing', time, {
    chartVersion: version,
    source: 'status',
  });

describe('a failure that names no version (aggregated, legacy, stripped metadata)', () => {
  it('belongs to the attempt running then: the version ends failed, not progressing', () => {
    const state = replay([
      started('6.5.1', T(0)),
      obs('upgrade', 'failed', T(5), {
        message: 'Helm upgrade failed: context deadline exceeded',
      }),
    ]);
    expect(state['6.5.1']).toMatchObject({
      status: 'failed',
      startedAt: T(0),
      finishedAt: T(5),
      message: 'Helm upgrade failed: context deadline exceeded',
    });
  });

  it('a count bumped on every retry: one deployment, failed at the latest time', () => {
    const failure = (t: string, count: number) =>
      obs('upgrade', 'failed', t, { dedupKey: `event/1/${count}` });
    const state = replay([
      started('6.5.1', T(0)),
      failure(T(5), 2),
      started('6.5.1', T(6)),
      failure(T(11), 3),
      started('6.5.1', T(12)),
      failure(T(17), 4),
    ]);
    expect(Object.keys(state)).toEqual(['6.5.1']);
    expect(state['6.5.1']).toMatchObject({
      status: 'failed',
      startedAt: T(12),
      finishedAt: T(17),
    });
  });

  it('goes to the newest attempt that started before it, never to a newer one', () => {
    const state = replay([
      started('6.5.1', T(0)),
      started('6.5.2', T(3)),
      obs('upgrade', 'failed', T(2)),
    ]);
    expect(state['6.5.1'].status).toBe('failed');
    expect(state['6.5.2'].status).toBe('progressing');
  });

  it('never invents a success, and without a running attempt stays object-level', () => {
    const before = replay([
      obs('upgrade', 'succeeded', T(0), { chartVersion: '6.5.0' }),
    ]);
    const state = replay([
      obs('upgrade', 'succeeded', T(0), { chartVersion: '6.5.0' }),
      started('6.5.1', T(1)),
      obs('upgrade', 'succeeded', T(2)),
      obs('other', 'failed', T(3), { message: 'reconciliation failed: x' }),
    ]);
    expect(state['6.5.1'].status).toBe('progressing');
    expect(
      correlateObservations(Object.values(before), [
        obs('upgrade', 'failed', T(4)),
      ]),
    ).toEqual([]);
  });

  it('a later status snapshot of the attempt still settles it', () => {
    const state = replay([
      started('6.5.1', T(0)),
      obs('upgrade', 'failed', T(5)),
      obs('upgrade', 'failed', T(5), {
        chartVersion: '6.5.1',
        source: 'status',
        reason: 'ReleaseFailed',
        message: 'Release dev/podinfo.v2 with chart podinfo@6.5.1 is failed',
      }),
    ]);
    expect(state['6.5.1']).toMatchObject({
      status: 'failed',
      message: 'Helm upgrade failed',
    });
  });
});
