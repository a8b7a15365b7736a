import {
  TargetDeployment,
  TargetStatus,
} from '@internal/plugin-flux-pipelines-common';
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
});
