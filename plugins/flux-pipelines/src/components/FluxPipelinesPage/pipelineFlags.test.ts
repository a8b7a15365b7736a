import {
  ago,
  environment,
  pipeline,
  target,
} from '../../__testUtils__/fixtures';
import { describeFlag, pipelineFlags } from './pipelineFlags';

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
    const flags = pipelineFlags(handCommit);
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
        {
          relation: { upstream: 'dev', position: 'behind', versions: 3 },
          // (the backend's: 6.1.5, 6.3.0 and 6.4.0 failed there in a row)
          failingSince: ago(60 * 48),
        },
      ),
    ]);
    const flags = pipelineFlags(failing);
    expect(flags.map(f => describeFlag(f))).toEqual([
      'test failing for 2 days',
      'test is 3 versions behind dev',
    ]);
  });

  it('falls back to the failed deployment’s time when the backend says no more', () => {
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
