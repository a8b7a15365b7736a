import {
  ExecutionEnvironmentState,
  PipelineExecution,
} from '@internal/plugin-flux-pipelines-common';
import {
  ago,
  environment,
  pipeline,
  target,
} from '../../__testUtils__/fixtures';
import { describeFlag, pipelineFlags } from './pipelineFlags';

/** An execution of `version` with the given state per environment (dev, test, prod). */
function execution(
  version: string,
  states: Record<string, ExecutionEnvironmentState>,
  finishedMinutesAgo = 60,
): PipelineExecution {
  return {
    chartVersion: version,
    status: 'progressing',
    environments: Object.entries(states).map(([name, state]) => ({
      name,
      state,
      finishedAt: ago(finishedMinutesAgo),
      deployments: [],
    })),
  };
}

const deployed = (versions: [string, string, string]) =>
  pipeline([
    environment('dev', [target('main', 'dev', { chartVersion: versions[0] })]),
    environment('test', [
      target('main', 'test', { chartVersion: versions[1] }),
    ]),
    environment('prod', [target('eu', 'prod', { chartVersion: versions[2] })]),
  ]);

function page(items: PipelineExecution[], totalCount = items.length) {
  return { items, totalCount, limit: 50, offset: 0 };
}

describe('pipelineFlags', () => {
  it('counts the versions deployed upstream that are newer than the downstream one', () => {
    const executions = page([
      execution('6.4.0', {
        dev: 'succeeded',
        test: 'succeeded',
        prod: 'pending',
      }),
      execution('6.3.1', { dev: 'failed', test: 'pending', prod: 'pending' }),
      execution('6.3.0', {
        dev: 'superseded',
        test: 'superseded',
        prod: 'pending',
      }),
      execution('6.2.0', {
        dev: 'superseded',
        test: 'superseded',
        prod: 'pending',
      }),
      execution('6.1.0', {
        dev: 'superseded',
        test: 'superseded',
        prod: 'succeeded',
      }),
    ]);
    const flags = pipelineFlags(
      deployed(['6.4.0', '6.4.0', '6.1.0']),
      executions,
    );
    expect(flags).toEqual([
      {
        kind: 'behind',
        environment: 'prod',
        upstream: 'test',
        count: 3,
        atLeast: false,
      },
    ]);
    expect(describeFlag(flags[0])).toBe('prod is 3 versions behind test');
  });

  it('says "at least" when the downstream version is older than the executions read', () => {
    const executions = page(
      [
        execution('6.4.0', {
          dev: 'succeeded',
          test: 'succeeded',
          prod: 'pending',
        }),
      ],
      80,
    );
    const [flag] = pipelineFlags(
      deployed(['6.4.0', '6.4.0', '5.0.0']),
      executions,
    );
    expect(describeFlag(flag)).toBe('prod is at least 1 version behind test');
  });

  it('estimates without executions, and flags nothing when environments agree or downstream is ahead', () => {
    expect(
      pipelineFlags(deployed(['6.4.0', '6.4.0', '6.3.0'])).map(f =>
        describeFlag(f),
      ),
    ).toEqual(['prod is at least 1 version behind test']);
    expect(
      pipelineFlags(deployed(['6.4.0', '6.4.0', '6.4.0']), page([])),
    ).toEqual([]);
    const hotfix = page([
      execution('6.5.0', {
        dev: 'pending',
        test: 'pending',
        prod: 'succeeded',
      }),
      execution('6.4.0', {
        dev: 'succeeded',
        test: 'succeeded',
        prod: 'superseded',
      }),
    ]);
    expect(
      pipelineFlags(deployed(['6.4.0', '6.4.0', '6.5.0']), hotfix),
    ).toEqual([]);
  });

  it('flags a failing environment with the start of its run of failures', () => {
    const failing = pipeline([
      environment('dev', [target('main', 'dev', { chartVersion: '6.4.0' })]),
      environment('test', [
        target(
          'main',
          'test',
          { chartVersion: '6.4.0', status: 'failed' },
          { chartVersion: '6.1.0' },
        ),
      ]),
    ]);
    const executions = page([
      execution('6.4.0', { dev: 'succeeded', test: 'failed' }, 60),
      execution('6.3.0', { dev: 'succeeded', test: 'failed' }, 60 * 24),
      execution('6.2.0', { dev: 'failed', test: 'pending' }, 60 * 30),
      execution('6.1.5', { dev: 'succeeded', test: 'failed' }, 60 * 48),
      execution('6.1.0', { dev: 'succeeded', test: 'succeeded' }, 60 * 72),
    ]);
    const flags = pipelineFlags(failing, executions);
    expect(flags.map(f => describeFlag(f))).toEqual([
      'test failing for 2 days',
      // 6.4.0, 6.3.0 and 6.1.5 succeeded in dev; test still runs 6.1.0
      'test is 3 versions behind dev',
    ]);
  });

  it('falls back to the failed deployment’s time without history', () => {
    const failing = pipeline([
      environment('dev', [
        target('main', 'dev', {
          chartVersion: '6.4.0',
          status: 'failed',
          finishedAt: ago(180),
        }),
      ]),
    ]);
    expect(pipelineFlags(failing).map(f => describeFlag(f))).toEqual([
      'dev failing for 3 hours',
    ]);
  });
});
