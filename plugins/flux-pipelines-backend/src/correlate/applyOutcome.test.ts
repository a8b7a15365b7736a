import {
  Observation,
  TargetDeployment,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { correlateObservations } from './correlateDeployments';

const T = (second: number) =>
  new Date(Date.UTC(2026, 10, 26, 9, 0, second)).toISOString();

function obs(
  action: Observation['action'],
  outcome: Observation['outcome'],
  time: string,
  extra: Partial<Observation> = {},
): Observation {
  return {
    cluster: 'main',
    namespace: 'dev',
    kind: 'HelmRelease',
    name: 'podinfo',
    chartVersion: '6.5.1',
    action,
    outcome,
    reason: `${action}-${outcome}`,
    message: `${action} ${outcome}`,
    time,
    source: 'event',
    dedupKey: `${action}-${outcome}-${time}-${extra.source ?? 'event'}`,
    ...extra,
  };
}

function replay(observations: Observation[]): TargetDeployment {
  let state: TargetDeployment[] = [];
  for (const o of observations) {
    const changed = correlateObservations(state, [o]);
    state = [
      ...state.filter(
        d => !changed.some(c => c.chartVersion === d.chartVersion),
      ),
      ...changed,
    ];
  }
  return state.find(d => d.chartVersion === '6.5.1')!;
}

// Upgrade from 0s to 20s (controller duration 20s), tests until 30s.
const progress = obs('progress', 'progressing', T(0), { source: 'status' });
const upgraded = obs('upgrade', 'succeeded', T(20));
const tested = obs('test', 'succeeded', T(30));
const snapshot = obs('upgrade', 'succeeded', T(30), {
  source: 'status',
  reason: 'ReleaseDeployed',
  durationMs: 30_000,
});
const expected = {
  status: 'succeeded',
  startedAt: T(0),
  finishedAt: T(30),
  durationMs: 30_000,
};

describe('a release with Helm tests: the start is the release start, the tests extend the finish', () => {
  it.each([
    ['events, then status', [progress, upgraded, tested, snapshot]],
    ['status, then events', [snapshot, progress, upgraded, tested]],
    ['status only (events expired)', [snapshot]],
    ['events and the progress condition', [progress, upgraded, tested]],
  ])('%s', (_, observations) => {
    const d = replay(observations);
    expect(d).toMatchObject(expected);
    expect(Date.parse(d.startedAt!)).toBeLessThanOrEqual(
      Date.parse(d.finishedAt!),
    );
  });

  it('a test failure ends the attempt at the test, from the same start', () => {
    const d = replay([
      progress,
      upgraded,
      obs('test', 'failed', T(30), { message: 'Helm test failed' }),
    ]);
    expect(d).toMatchObject({
      status: 'failed',
      startedAt: T(0),
      finishedAt: T(30),
      durationMs: 30_000,
    });
  });

  it('webhooks only (no start known): the test never becomes the start', () => {
    const d = replay([upgraded, tested]);
    expect(d.startedAt).toBe(T(20));
    expect(d.finishedAt).toBe(T(30));
  });

  it('a start, once known, never moves later', () => {
    const d = replay([
      progress,
      upgraded,
      tested,
      obs('upgrade', 'succeeded', T(30), {
        source: 'status',
        durationMs: 10_000,
      }),
    ]);
    expect(d.startedAt).toBe(T(0));
  });
});
