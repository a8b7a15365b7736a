import {
  TargetDeployment,
  TargetStatus,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { promotableVersion } from './promotableVersion';

const T = (minute: number) =>
  new Date(Date.UTC(2026, 10, 26, 9, minute)).toISOString();

function dep(
  namespace: string,
  version: string,
  status: TargetDeployment['status'],
  minute: number,
): TargetDeployment {
  return {
    cluster: 'main',
    namespace,
    kind: 'HelmRelease',
    name: 'podinfo',
    chartVersion: version,
    appVersion: `app-${version}`,
    status,
    finishedAt: T(minute),
    updatedAt: T(minute),
  };
}

const target = (namespace: string) => ({ cluster: 'main', namespace });

/** The previous environment's targets with their deployments, and this environment running `running`. */
function promotable(
  previous: Record<string, TargetDeployment[]>,
  running?: string,
) {
  const current: TargetStatus[] = [
    {
      ...target('prod'),
      deployed: running ? dep('prod', running, 'succeeded', 0) : undefined,
    },
  ];
  return promotableVersion(
    Object.keys(previous).map(target),
    current,
    t => previous[t.namespace] ?? [],
  );
}

describe('promotableVersion', () => {
  it('offers the newest version that succeeded in the previous environment', () => {
    expect(
      promotable(
        {
          test: [
            dep('test', '6.5.1', 'succeeded', 10),
            dep('test', '6.5.0', 'superseded', 5),
          ],
        },
        '6.5.0',
      ),
    ).toEqual({ version: '6.5.1', appVersion: 'app-6.5.1' });
  });

  it('offers nothing when this environment already runs it, or in the first environment', () => {
    expect(
      promotable({ test: [dep('test', '6.5.1', 'succeeded', 10)] }, '6.5.1'),
    ).toBeUndefined();
    expect(promotableVersion(undefined, [], () => [])).toBeUndefined();
  });

  it('does not offer a version that failed in the previous environment', () => {
    expect(
      promotable({
        test: [
          dep('test', '6.6.0', 'failed', 20),
          dep('test', '6.5.1', 'succeeded', 10),
        ],
      }),
    ).toEqual({ version: '6.5.1', appVersion: 'app-6.5.1' });
  });

  it('waits for every target of the previous environment, offering what all of them had', () => {
    expect(
      promotable(
        {
          'test-a': [
            dep('test-a', '6.6.0', 'succeeded', 20),
            dep('test-a', '6.5.1', 'superseded', 10),
          ],
          'test-b': [dep('test-b', '6.5.1', 'succeeded', 11)],
        },
        '6.5.0',
      ),
    ).toEqual({ version: '6.5.1', appVersion: 'app-6.5.1' });
  });

  it('never offers a downgrade: an environment that runs a newer release is not offered an older one', () => {
    // test was hand-committed to 6.9.9; dev's newest success is 6.5.2.
    expect(
      promotable({ test: [dep('test', '6.5.2', 'succeeded', 30)] }, '6.9.9'),
    ).toBeUndefined();
    // Once dev has something newer than 6.9.9, that is offered.
    expect(
      promotable(
        {
          test: [
            dep('test', '7.0.0', 'succeeded', 40),
            dep('test', '6.5.2', 'superseded', 30),
          ],
        },
        '6.9.9',
      ),
    ).toEqual({ version: '7.0.0', appVersion: 'app-7.0.0' });
  });

  it('does not offer a success only events report, until the status confirms it', () => {
    const unconfirmed = {
      ...dep('test', '6.6.0', 'succeeded', 20),
      unconfirmed: true,
    };
    expect(
      promotable(
        { test: [unconfirmed, dep('test', '6.5.1', 'superseded', 10)] },
        '6.5.0',
      ),
    ).toEqual({ version: '6.5.1', appVersion: 'app-6.5.1' });
  });
});
