import {
  Pipeline,
  Promotion,
  TargetDeployment,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { deriveExecutions } from './deriveExecutions';

const T = (minute: number) =>
  new Date(Date.UTC(2026, 10, 26, 9, minute)).toISOString();

const pipeline: Pipeline = {
  namespace: 'flux-system',
  name: 'podinfo',
  source: 'config',
  appRef: {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    name: 'podinfo',
  },
  environments: [
    { name: 'dev', targets: [{ cluster: 'main', namespace: 'dev' }] },
    { name: 'test', targets: [{ cluster: 'main', namespace: 'test' }] },
    {
      name: 'prod',
      targets: [
        { cluster: 'eu', namespace: 'prod' },
        { cluster: 'us', namespace: 'prod' },
      ],
    },
  ],
};

/** A deployment of `version` on `cluster/namespace`, from minute `start` to `end`. */
function dep(
  target: string,
  version: string,
  status: TargetDeployment['status'],
  start: number,
  end?: number,
): TargetDeployment {
  const [cluster, namespace] = target.split('/');
  return {
    cluster,
    namespace,
    kind: 'HelmRelease',
    name: 'podinfo',
    chartVersion: version,
    appVersion: `app-${version}`,
    status,
    startedAt: T(start),
    ...(end === undefined
      ? {}
      : { finishedAt: T(end), durationMs: (end - start) * 60_000 }),
    updatedAt: T(end ?? start),
  };
}

const states = (e: { environments: Array<{ name: string; state: string }> }) =>
  Object.fromEntries(e.environments.map(env => [env.name, env.state]));

describe('deriveExecutions', () => {
  it('follows a version that reached prod, with the lead time from dev to the last prod target', () => {
    const [execution] = deriveExecutions(pipeline, [
      dep('main/dev', '6.5.0', 'succeeded', 0, 1),
      dep('main/test', '6.5.0', 'succeeded', 10, 12),
      dep('eu/prod', '6.5.0', 'succeeded', 30, 31),
      dep('us/prod', '6.5.0', 'succeeded', 30, 35),
    ]);
    expect(execution).toMatchObject({
      chartVersion: '6.5.0',
      appVersion: 'app-6.5.0',
      status: 'succeeded',
      startedAt: T(0),
      finishedAt: T(35),
      leadTimeMs: 35 * 60_000,
    });
    expect(
      execution.environments.map(e => [
        e.name,
        e.state,
        e.startedAt,
        e.finishedAt,
        e.durationMs,
      ]),
    ).toEqual([
      ['dev', 'succeeded', T(0), T(1), 60_000],
      ['test', 'succeeded', T(10), T(12), 2 * 60_000],
      ['prod', 'succeeded', T(30), T(35), 5 * 60_000],
    ]);
  });

  it('shows a version that failed in test as failed, with prod still waiting and no lead time', () => {
    const [execution] = deriveExecutions(pipeline, [
      dep('main/dev', '6.6.0', 'succeeded', 0, 1),
      {
        ...dep('main/test', '6.6.0', 'failed', 10, 15),
        message: 'timed out waiting for the condition',
      },
    ]);
    expect(execution.status).toBe('failed');
    expect(states(execution)).toEqual({
      dev: 'succeeded',
      test: 'failed',
      prod: 'waiting',
    });
    expect(execution.environments[1].deployments[0].message).toMatch(
      /timed out/,
    );
    expect(execution.leadTimeMs).toBeUndefined();
    expect(execution.environments[2]).toEqual({
      name: 'prod',
      state: 'waiting',
      deployments: [],
    });
  });

  it('shows a rollback as an event of the environment: the bad version rolled back to the previous one, which is not started again', () => {
    const executions = deriveExecutions(pipeline, [
      dep('main/dev', '6.5.0', 'superseded', 0, 1),
      // test ran 6.5.0 (finished at 3); the rollback at 16 reinstated it.
      { ...dep('main/test', '6.5.0', 'succeeded', 2, 16), durationMs: 60_000 },
      dep('main/dev', '6.6.0', 'succeeded', 10, 11),
      dep('main/test', '6.6.0', 'rolled-back', 12, 16),
    ]);
    expect(executions.map(e => [e.chartVersion, e.status])).toEqual([
      ['6.6.0', 'rolled-back'],
      ['6.5.0', 'waiting'],
    ]);
    expect(states(executions[0])).toEqual({
      dev: 'succeeded',
      test: 'rolled-back',
      prod: 'waiting',
    });
    expect(executions[0].environments[1].rolledBackTo).toBe('6.5.0');
    // Not re-opened at the rollback's time: it keeps its own start.
    expect(executions[1].startedAt).toBe(T(0));
    expect(states(executions[1])).toEqual({
      dev: 'superseded',
      test: 'succeeded',
      prod: 'waiting',
    });
  });

  it('does not list a version the environment only went back to as a new journey at the top', () => {
    // 6.5.0 ran in test before watching began (no start, no dev record).
    const executions = deriveExecutions(pipeline, [
      {
        ...dep('main/test', '6.5.0', 'succeeded', 16, 16),
        startedAt: undefined,
      },
      dep('main/dev', '6.6.0', 'succeeded', 10, 11),
      dep('main/test', '6.6.0', 'rolled-back', 12, 16),
    ]);
    expect(executions.map(e => [e.chartVersion, e.status])).toEqual([
      ['6.6.0', 'rolled-back'],
      ['6.5.0', 'waiting'],
    ]);
    expect(executions[1].startedAt).toBeUndefined();
  });

  it('keeps prod deploying while one of its targets lags behind, then counts lead time to the last one', () => {
    const lagging = [
      dep('main/dev', '6.5.0', 'succeeded', 0, 1),
      dep('main/test', '6.5.0', 'succeeded', 2, 3),
      dep('eu/prod', '6.5.0', 'succeeded', 5, 6),
    ];
    const [before] = deriveExecutions(pipeline, lagging);
    expect(before.status).toBe('deploying');
    expect(before.environments[2]).toMatchObject({
      state: 'deploying',
      startedAt: T(5),
    });
    expect(before.environments[2].finishedAt).toBeUndefined();
    expect(before.leadTimeMs).toBeUndefined();

    const [after] = deriveExecutions(pipeline, [
      ...lagging,
      dep('us/prod', '6.5.0', 'succeeded', 40, 42),
    ]);
    expect(after).toMatchObject({
      status: 'succeeded',
      leadTimeMs: 42 * 60_000,
    });
  });

  it('counts a version that reached prod as succeeded after a newer one replaced it', () => {
    const [execution] = deriveExecutions(pipeline, [
      dep('main/dev', '6.5.0', 'superseded', 0, 1),
      dep('main/test', '6.5.0', 'superseded', 2, 3),
      dep('eu/prod', '6.5.0', 'superseded', 4, 5),
      dep('us/prod', '6.5.0', 'superseded', 4, 6),
    ]);
    expect(execution).toMatchObject({
      status: 'succeeded',
      leadTimeMs: 6 * 60_000,
    });
    expect(states(execution).prod).toBe('superseded');
  });

  it('marks a version replaced in dev before it was promoted as superseded', () => {
    const [, older] = deriveExecutions(pipeline, [
      dep('main/dev', '6.5.0', 'superseded', 0, 1),
      dep('main/dev', '6.5.1', 'succeeded', 5, 6),
    ]);
    expect(older).toMatchObject({
      chartVersion: '6.5.0',
      status: 'superseded',
    });
  });

  it('lists newest first by start and ignores objects that are not targets of the pipeline', () => {
    const executions = deriveExecutions(pipeline, [
      dep('main/dev', '1.0.0', 'superseded', 0, 1),
      dep('main/dev', '1.2.0', 'progressing', 20),
      dep('main/dev', '1.1.0', 'superseded', 10, 11),
      dep('main/staging', '9.9.9', 'succeeded', 30, 31),
    ]);
    expect(executions.map(e => e.chartVersion)).toEqual([
      '1.2.0',
      '1.1.0',
      '1.0.0',
    ]);
    expect(executions[0]).toMatchObject({
      status: 'deploying',
      startedAt: T(20),
    });
  });

  const promotion = (environment: string, state: Promotion['state']) =>
    ({ version: '6.5.0', environment, state } as Promotion);

  it('tells waiting for a promotion from awaiting approval and from deploying', () => {
    const inDev = [dep('main/dev', '6.5.0', 'succeeded', 0, 1)];
    const [waiting] = deriveExecutions(pipeline, inDev);
    expect(waiting.status).toBe('waiting');
    expect(states(waiting)).toEqual({
      dev: 'succeeded',
      test: 'waiting',
      prod: 'waiting',
    });

    const [committed] = deriveExecutions(pipeline, inDev, [
      promotion('test', 'committed'),
    ]);
    expect(committed.status).toBe('deploying');
    expect(states(committed).test).toBe('deploying');

    const inTest = [...inDev, dep('main/test', '6.5.0', 'succeeded', 2, 3)];
    const [approval] = deriveExecutions(pipeline, inTest, [
      promotion('prod', 'waiting-approval'),
      promotion('test', 'deployed'),
    ]);
    expect(approval.status).toBe('awaiting-approval');
    expect(states(approval)).toEqual({
      dev: 'succeeded',
      test: 'succeeded',
      prod: 'awaiting-approval',
    });
  });

  it('flags a version hand-committed to test as having skipped dev', () => {
    const [handCommit, devVersion] = deriveExecutions(pipeline, [
      dep('main/dev', '6.5.3', 'succeeded', 0, 1),
      dep('main/test', '6.9.9', 'succeeded', 5, 6),
    ]);
    expect(handCommit).toMatchObject({
      chartVersion: '6.9.9',
      status: 'waiting',
      skipped: ['dev'],
    });
    expect(states(handCommit)).toEqual({
      dev: 'skipped',
      test: 'succeeded',
      prod: 'waiting',
    });
    expect(devVersion.skipped).toBeUndefined();
  });

  it('gives no lead time (not 0s) to a version found deployed everywhere when watching began, nor to one that skipped dev', () => {
    const seen = (target: string) => ({
      ...dep(target, '6.5.0', 'succeeded', 0, 0),
      startedAt: undefined,
    });
    const [execution] = deriveExecutions(pipeline, [
      seen('main/dev'),
      seen('main/test'),
      seen('eu/prod'),
      seen('us/prod'),
    ]);
    expect(execution.status).toBe('succeeded');
    expect(execution.leadTimeMs).toBeUndefined();

    const [hotfix] = deriveExecutions(pipeline, [
      dep('main/test', '6.9.9', 'succeeded', 0, 1),
      dep('eu/prod', '6.9.9', 'succeeded', 5, 6),
      dep('us/prod', '6.9.9', 'succeeded', 5, 7),
    ]);
    expect(hotfix).toMatchObject({ status: 'succeeded', skipped: ['dev'] });
    expect(hotfix.leadTimeMs).toBeUndefined();
  });
});
