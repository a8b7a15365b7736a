import { TargetDeployment } from '@flux-pipelines/plugin-flux-pipelines-common';
import { deployment } from './__testUtils__/deployment';
import { relationTo } from './relation';

const T = (minute: number) =>
  new Date(Date.UTC(2026, 11, 7, 8, minute)).toISOString();

const d = (
  version: string,
  status: TargetDeployment['status'],
  minute: number,
) =>
  deployment(version, status, { finishedAt: T(minute), updatedAt: T(minute) });

const dev = {
  name: 'dev',
  perTarget: [
    [
      d('6.5.3', 'succeeded', 30),
      d('6.5.2', 'superseded', 20),
      d('6.5.1', 'superseded', 10),
      d('6.5.0', 'superseded', 0),
    ],
  ],
};

describe('ahead and behind', () => {
  it('calls a hand-committed 6.9.9 in test one version ahead of dev on 6.5.3, never behind', () => {
    const test = { name: 'test', perTarget: [[d('6.9.9', 'succeeded', 40)]] };
    expect(
      relationTo({
        upstream: dev,
        here: test,
        upstreamVersion: '6.5.3',
        version: '6.9.9',
      }),
    ).toEqual({ upstream: 'dev', position: 'ahead', versions: 1 });
  });

  it('counts the versions that ran upstream since the one running here', () => {
    const test = {
      name: 'test',
      perTarget: [[d('6.5.1', 'succeeded', 12), d('6.5.0', 'superseded', 2)]],
    };
    expect(
      relationTo({
        upstream: dev,
        here: test,
        upstreamVersion: '6.5.3',
        version: '6.5.1',
      }),
    ).toEqual({ upstream: 'dev', position: 'behind', versions: 2 });
  });

  it('is level on the same release (build metadata aside), and unknown when either runs nothing', () => {
    const test = {
      name: 'test',
      perTarget: [[d('6.5.3+b1', 'succeeded', 35)]],
    };
    expect(
      relationTo({
        upstream: dev,
        here: test,
        upstreamVersion: '6.5.3',
        version: '6.5.3+b1',
      }),
    ).toEqual({ upstream: 'dev', position: 'same', versions: 0 });
    expect(
      relationTo({ upstream: dev, here: test, upstreamVersion: '6.5.3' }),
    ).toBeUndefined();
  });

  it('orders source revisions by when they were deployed', () => {
    const a = `main@sha1:${'a'.repeat(40)}`;
    const b = `main@sha1:${'b'.repeat(40)}`;
    const upstream = {
      name: 'dev',
      perTarget: [[d(a, 'superseded', 1), d(b, 'succeeded', 5)]],
    };
    const here = { name: 'test', perTarget: [[d(a, 'succeeded', 3)]] };
    expect(
      relationTo({ upstream, here, upstreamVersion: b, version: a }),
    ).toEqual({ upstream: 'dev', position: 'behind', versions: 1 });
  });
});
