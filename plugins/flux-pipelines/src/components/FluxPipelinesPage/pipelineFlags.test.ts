import {
  ExecutionEnvironmentState,
  PipelineExecution,
} from '@flux-pipelines/plugin-flux-pipelines-common';
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
    status: 'waiting',
    environments: Object.entries(states).map(([name, state]) => ({
      name,
      state,
      finishedAt: ago(finishedMinutesAgo),
      deployments: [],
    })),
  };
}

function page(items: PipelineExecution[], totalCount = items.length) {
  return { items, totalCount, limit: 50, offset: 0 };
}

describe('pipelineFlags', () => {
  it('says what the backend says: ahead, behind and skipped, never a count of its own', () => {
    const handCommit = pipeline([
      environment('dev', [target('main', 'dev', { chartVersion: '6.5.3' })], {
        running: '6.5.3',
      }),
      environment('test', [target('main', 'test', { chartVersion: '6.9.9' })], {
        running: '6.9.9',
        relation: { upstream: 'dev', position: 'ahead', versions: 1 },
        skipped: ['dev'],
      }),
      environment('prod', [target('eu', 'prod', { chartVersion: '6.5.0' })], {
        running: '6.5.0',
        relation: { upstream: 'test', position: 'behind', versions: 3 },
      }),
    ]);
    const flags = pipelineFlags(handCommit, page([]));
    expect(flags.map(f => describeFlag(f))).toEqual([
      'test is 1 version ahead of dev',
      '6.9.9 skipped dev',
      'prod is 3 versions behind test',
    ]);
  });

  it('flags nothing when environments are level', () => {
    const level = pipeline([
      environment('dev', [target('main', 'dev', { chartVersion: '6.4.0' })]),
      environment('test', [target('main', 'test', { chartVersion: '6.4.0' })], {
        relation: { upstream: 'dev', position: 'same', versions: 0 },
      }),
    ]);
    expect(pipelineFlags(level)).toEqual([]);
  });

  it('flags a failing environment with the start of its run of failures', () => {
    const failing = pipeline([
      environment('dev', [target('main', 'dev', { chartVersion: '6.4.0' })]),
      environment(
        'test',
        [
          target(
            'main',
            'test',
            { chartVersion: '6.4.0', status: 'failed' },
            { chartVersion: '6.1.0' },
          ),
        ],
        { relation: { upstream: 'dev', position: 'behind', versions: 3 } },
      ),
    ]);
    const executions = page([
      execution('6.4.0', { dev: 'succeeded', test: 'failed' }, 60),
      execution('6.3.0', { dev: 'succeeded', test: 'failed' }, 60 * 24),
      execution('6.2.0', { dev: 'failed', test: 'waiting' }, 60 * 30),
      execution('6.1.5', { dev: 'succeeded', test: 'failed' }, 60 * 48),
      execution('6.1.0', { dev: 'succeeded', test: 'succeeded' }, 60 * 72),
    ]);
    const flags = pipelineFlags(failing, executions);
    expect(flags.map(f => describeFlag(f))).toEqual([
      'test failing for 2 days',
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
