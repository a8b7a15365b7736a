import {
  Observation,
  TargetDeployment,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { CorrelateOptions, correlateDeployments } from './correlateDeployments';

const T = (minute: number, second = 0) =>
  new Date(Date.UTC(2026, 10, 26, 9, minute, second)).toISOString();

function obs(
  version: string,
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
    chartVersion: version,
    action,
    outcome,
    reason: 'x',
    message: `${action} ${outcome} ${version}`,
    time,
    source: 'event',
    dedupKey: `${version}-${action}-${outcome}-${time}`,
    ...extra,
  };
}

/** Replays observations in order, as the ingest loop does, and returns the state. */
function replay(
  observations: Observation[],
  options?: CorrelateOptions,
): Record<string, TargetDeployment> {
  let state: TargetDeployment[] = [];
  for (const o of observations) {
    const changes = correlateDeployments(state, o, options);
    const byVersion = new Map(state.map(d => [d.chartVersion, d]));
    for (const c of changes) byVersion.set(c.chartVersion, c);
    state = [...byVersion.values()];
  }
  return Object.fromEntries(state.map(d => [d.chartVersion, d]));
}

describe('correlateDeployments', () => {
  it('follows an upgrade from progressing to succeeded with its duration', () => {
    const state = replay([
      obs('6.5.0', 'progress', 'progressing', T(0)),
      obs('6.5.0', 'upgrade', 'succeeded', T(0, 42), { appVersion: '6.5.0' }),
    ]);
    expect(state['6.5.0']).toMatchObject({
      status: 'succeeded',
      appVersion: '6.5.0',
      startedAt: T(0),
      finishedAt: T(0, 42),
      durationMs: 42_000,
    });
  });

  it("prefers the controller's recorded duration over the observed one", () => {
    const state = replay([
      obs('6.5.0', 'progress', 'progressing', T(0)),
      obs('6.5.0', 'upgrade', 'succeeded', T(1), { durationMs: 12_345 }),
    ]);
    expect(state['6.5.0'].durationMs).toBe(12_345);
  });

  it('takes the recorded duration from a status snapshot that arrives after the event', () => {
    const state = replay([
      obs('6.5.0', 'progress', 'progressing', T(0)),
      obs('6.5.0', 'upgrade', 'succeeded', T(0)),
      obs('6.5.0', 'upgrade', 'succeeded', T(0), {
        source: 'status',
        durationMs: 300,
      }),
      obs('6.5.0', 'upgrade', 'succeeded', T(0, 1), { source: 'webhook' }),
    ]);
    expect(state['6.5.0']).toMatchObject({
      status: 'succeeded',
      durationMs: 300,
    });
  });

  it('supersedes the previous version when a new one is deployed', () => {
    const state = replay([
      obs('6.5.0', 'install', 'succeeded', T(0)),
      obs('6.5.1', 'upgrade', 'succeeded', T(5)),
    ]);
    expect(state['6.5.0'].status).toBe('superseded');
    expect(state['6.5.1'].status).toBe('succeeded');
  });

  it('keeps a failure with its message, and the deployed version stays deployed', () => {
    const failure =
      'Helm upgrade failed for release dev/podinfo with chart podinfo@6.6.0: timed out\n\nLast Helm logs:\n\nwaiting for pods';
    const state = replay([
      obs('6.5.0', 'install', 'succeeded', T(0)),
      obs('6.6.0', 'progress', 'progressing', T(5)),
      obs('6.6.0', 'upgrade', 'failed', T(10), { message: failure }),
    ]);
    expect(state['6.6.0']).toMatchObject({
      status: 'failed',
      message: failure,
      durationMs: 5 * 60_000,
    });
    expect(state['6.5.0'].status).toBe('succeeded');
  });

  it('marks the failed version rolled back when Flux rolls back to the previous one', () => {
    const state = replay([
      obs('6.5.0', 'install', 'succeeded', T(0)),
      obs('6.6.0', 'upgrade', 'failed', T(10)),
      obs('6.5.0', 'rollback', 'succeeded', T(11)),
    ]);
    expect(state['6.6.0'].status).toBe('rolled-back');
    expect(state['6.5.0']).toMatchObject({
      status: 'succeeded',
      finishedAt: T(11),
    });
  });

  it('turns a successful upgrade into a failure when its tests fail; the tests extend the duration, not the start', () => {
    const state = replay([
      obs('6.6.0', 'upgrade', 'succeeded', T(0), { durationMs: 30_000 }),
      obs('6.6.0', 'test', 'failed', T(1), { message: 'Helm test failed' }),
    ]);
    expect(state['6.6.0']).toMatchObject({
      status: 'failed',
      message: 'Helm test failed',
      startedAt: new Date(Date.parse(T(0)) - 30_000).toISOString(),
      finishedAt: T(1),
      durationMs: 90_000,
    });
  });

  it('keeps the previous version deployed when the tests of a successful upgrade fail', () => {
    const state = replay([
      obs('6.5.0', 'install', 'succeeded', T(0)),
      obs('6.6.0', 'progress', 'progressing', T(10)),
      obs('6.6.0', 'upgrade', 'succeeded', T(10, 30)),
      obs('6.6.0', 'test', 'failed', T(11), { message: 'Helm test failed' }),
    ]);
    expect(state['6.6.0']).toMatchObject({
      status: 'failed',
      finishedAt: T(11),
      updatedAt: T(11),
    });
    expect(state['6.5.0']).toMatchObject({
      status: 'succeeded',
      finishedAt: T(0),
    });
    // the failed attempt stays the most recent change
    expect(Date.parse(state['6.5.0'].updatedAt)).toBeLessThan(
      Date.parse(state['6.6.0'].updatedAt),
    );
  });

  it('after a test failure, late status snapshots do not undo it, and a rollback marks the failed version rolled back', () => {
    const base = [
      obs('6.5.0', 'install', 'succeeded', T(0)),
      obs('6.6.0', 'upgrade', 'succeeded', T(10)),
      obs('6.6.0', 'test', 'failed', T(11)),
      // Helm's history, seen on the next relist
      obs('6.6.0', 'upgrade', 'succeeded', T(10), {
        source: 'status',
        reason: 'ReleaseDeployed',
      }),
      obs('6.5.0', 'install', 'succeeded', T(0), {
        source: 'status',
        reason: 'ReleaseSuperseded',
      }),
    ];
    const state = replay(base);
    expect(state['6.6.0'].status).toBe('failed');
    expect(state['6.5.0'].status).toBe('succeeded');

    const remediated = replay([
      ...base,
      obs('6.5.0', 'rollback', 'succeeded', T(12)),
    ]);
    expect(remediated['6.6.0'].status).toBe('rolled-back');
    expect(remediated['6.5.0']).toMatchObject({
      status: 'succeeded',
      finishedAt: T(12),
    });
  });

  it('keeps the previous version deployed when Helm history arrives in the same second as the test failure (backfill)', () => {
    // Newest history entry first, as the status lists them, all at T(0):
    // the upgrade, its failed tests, then the previous release "superseded".
    const state = replay([
      obs('6.5.0', 'install', 'succeeded', T(0), {
        source: 'status',
        reason: 'ReleaseDeployed',
      }),
      obs('6.6.0', 'upgrade', 'succeeded', T(0), {
        source: 'status',
        reason: 'ReleaseDeployed',
      }),
      obs('6.6.0', 'test', 'failed', T(0), { source: 'status' }),
      obs('6.5.0', 'install', 'succeeded', T(0), {
        source: 'status',
        reason: 'ReleaseSuperseded',
      }),
    ]);
    expect(state['6.6.0'].status).toBe('failed');
    expect(state['6.5.0'].status).toBe('succeeded');
  });

  it('reinstates nothing when a newer version succeeded since, or when the failed tests belong to the first install', () => {
    expect(
      replay([
        obs('6.6.0', 'install', 'succeeded', T(0)),
        obs('6.6.0', 'test', 'failed', T(1)),
      ])['6.6.0'].status,
    ).toBe('failed');
    // a late test failure of a version that is already superseded
    const state = replay([
      obs('6.5.0', 'install', 'succeeded', T(0)),
      obs('6.6.0', 'upgrade', 'succeeded', T(10)),
      obs('6.7.0', 'upgrade', 'succeeded', T(20)),
      obs('6.6.0', 'test', 'failed', T(21)),
    ]);
    expect(
      Object.fromEntries(
        Object.values(state).map(d => [d.chartVersion, d.status]),
      ),
    ).toEqual({
      '6.5.0': 'superseded',
      '6.6.0': 'failed',
      '6.7.0': 'succeeded',
    });
  });

  it('starts a new attempt when a failed version is retried, then succeeds', () => {
    const state = replay([
      obs('6.6.0', 'progress', 'progressing', T(0)),
      obs('6.6.0', 'upgrade', 'failed', T(1)),
      obs('6.6.0', 'progress', 'progressing', T(10)),
      obs('6.6.0', 'upgrade', 'succeeded', T(10, 30)),
    ]);
    expect(state['6.6.0']).toMatchObject({
      status: 'succeeded',
      startedAt: T(10),
      durationMs: 30_000,
    });
  });

  it('does not move a deployment backwards on an older, late observation', () => {
    const state = replay([
      obs('6.6.0', 'upgrade', 'succeeded', T(10)),
      obs('6.6.0', 'progress', 'progressing', T(9)),
    ]);
    expect(state['6.6.0'].status).toBe('succeeded');
  });

  it('treats a late success of an older version as superseded (backfill from history)', () => {
    const state = replay([
      obs('6.6.0', 'upgrade', 'succeeded', T(10), { source: 'status' }),
      obs('6.5.0', 'install', 'succeeded', T(0), { source: 'status' }),
    ]);
    expect(state['6.6.0'].status).toBe('succeeded');
    expect(state['6.5.0'].status).toBe('superseded');
  });

  it('keeps an event-only success unconfirmed beside the confirmed one until the status confirms it', () => {
    const before = replay([
      obs('6.5.0', 'install', 'succeeded', T(0), { source: 'status' }),
      obs('6.6.0', 'upgrade', 'succeeded', T(10)),
    ]);
    expect(before['6.5.0']).toMatchObject({ status: 'succeeded' });
    expect(before['6.5.0'].unconfirmed).toBeUndefined();
    expect(before['6.6.0']).toMatchObject({
      status: 'succeeded',
      unconfirmed: true,
    });
    // Helm's history, read seconds later, says 6.6.0 was deployed (at T(9)).
    const after = replay([
      obs('6.5.0', 'install', 'succeeded', T(0), { source: 'status' }),
      obs('6.6.0', 'upgrade', 'succeeded', T(10)),
      obs('6.6.0', 'upgrade', 'succeeded', T(9), { source: 'status' }),
    ]);
    expect(after['6.6.0'].status).toBe('succeeded');
    expect(after['6.6.0'].unconfirmed).toBeUndefined();
    expect(after['6.5.0'].status).toBe('superseded');
  });

  it('does not let an event-only success supersede the confirmed version', () => {
    const state = replay([
      obs('6.5.0', 'install', 'succeeded', T(0), { source: 'status' }),
      obs('9.9.9-forged', 'upgrade', 'succeeded', T(10)),
      obs('9.9.9-forged', 'test', 'succeeded', T(11)),
    ]);
    expect(state['6.5.0'].status).toBe('succeeded');
    expect(state['9.9.9-forged']).toMatchObject({
      status: 'succeeded',
      unconfirmed: true,
    });
  });

  it('needs no confirmation where the caller says events suffice', () => {
    const v = replay(
      [
        obs('6.5.0', 'install', 'succeeded', T(0)),
        obs('6.6.0', 'upgrade', 'succeeded', T(10)),
      ],
      { needsConfirmation: () => false },
    );
    expect(v['6.6.0'].status).toBe('succeeded');
    expect(v['6.6.0'].unconfirmed).toBeUndefined();
    expect(v['6.5.0'].status).toBe('superseded');
  });

  it('changes nothing for a replayed observation or one without a version', () => {
    const success = obs('6.5.0', 'install', 'succeeded', T(0));
    const state = [correlateDeployments([], success)[0]];
    expect(correlateDeployments(state, success)).toEqual([]);
    expect(
      correlateDeployments(state, { ...success, chartVersion: undefined }),
    ).toEqual([]);
  });

  it('keeps the failure message from the event when a status snapshot confirms the same failure', () => {
    const state = replay([
      obs('6.5.1', 'progress', 'progressing', T(0)),
      obs('6.5.1', 'upgrade', 'failed', T(0, 5), {
        message: 'Helm upgrade failed: boom\n\nLast Helm logs:\n\nx',
      }),
      obs('6.5.1', 'upgrade', 'failed', T(0, 5), {
        source: 'status',
        message: 'Release dev/podinfo.v3 with chart podinfo@6.5.1 is failed',
      }),
    ]);
    expect(state['6.5.1'].status).toBe('failed');
    expect(state['6.5.1'].message).toContain('Last Helm logs:');
  });

  it('backfills two releases deployed within the same second: the newest history entry stays deployed', () => {
    const state = replay([
      // the first start: 6.5.0 deployed
      obs('6.5.0', 'install', 'succeeded', T(0, 7), {
        source: 'status',
        reason: 'ReleaseDeployed',
      }),
      // after downtime, status.history newest first: v2 deployed, v1 superseded, same second
      obs('6.5.1', 'upgrade', 'succeeded', T(0, 7), {
        source: 'status',
        reason: 'ReleaseDeployed',
      }),
      obs('6.5.0', 'install', 'succeeded', T(0, 7), {
        source: 'status',
        reason: 'ReleaseSuperseded',
      }),
    ]);
    expect(state['6.5.1'].status).toBe('succeeded');
    expect(state['6.5.0'].status).toBe('superseded');
  });

  it('keeps a success the status confirmed when a progress event of the same second arrives after it', () => {
    // kustomize-controller: `Health check passed in 1ms` (Progressing), then Ready in the same second.
    const state = replay([
      obs('main@sha1:ab', 'reconcile', 'succeeded', T(0, 7), {
        source: 'status',
      }),
      obs('main@sha1:ab', 'progress', 'progressing', T(0, 7)),
      obs('main@sha1:ab', 'reconcile', 'succeeded', T(0, 7)),
    ]);
    expect(state['main@sha1:ab'].status).toBe('succeeded');
    expect(state['main@sha1:ab'].unconfirmed).toBeUndefined();
  });
});
