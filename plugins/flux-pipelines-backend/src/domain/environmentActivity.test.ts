import {
  EnvironmentStatus,
  Promotion,
  TargetDeployment,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { deployment } from './__testUtils__/deployment';
import { environmentActivity } from './environmentActivity';

const d = deployment;

function env(
  name: string,
  latest: TargetDeployment | undefined,
  extra: Partial<EnvironmentStatus> = {},
): EnvironmentStatus {
  const deployed = latest?.status === 'succeeded' && !latest.unconfirmed;
  return {
    name,
    targets: [
      {
        cluster: 'main',
        namespace: name,
        latest,
        ...(deployed ? { deployed: latest } : {}),
      },
    ],
    ...(deployed ? { running: latest!.chartVersion } : {}),
    ...extra,
  };
}

const promotion = (state: Promotion['state']) =>
  ({ version: '6.9.9', environment: 'prod', state } as Promotion);

describe('what an environment is doing now', () => {
  const test = env('test', d('6.9.9', 'succeeded'));

  it('awaits approval, and nothing else, while a promotion into it waits for approval', () => {
    const prod = env('prod', d('6.5.0', 'succeeded'), {
      promotion: promotion('waiting-approval'),
      promotable: { version: '6.9.9' },
    });
    expect(environmentActivity(prod, test)).toEqual({
      kind: 'awaiting-approval',
      version: '6.9.9',
    });
  });

  it('is deploying while a promotion runs or a target progresses', () => {
    const committed = env('prod', d('6.5.0', 'succeeded'), {
      promotion: promotion('committed'),
    });
    expect(environmentActivity(committed, test)).toEqual({
      kind: 'deploying',
      version: '6.9.9',
    });
    const progressing = env('prod', d('6.9.9', 'progressing'), {
      promotion: promotion('deployed'),
    });
    expect(environmentActivity(progressing, test).kind).toBe('deploying');
    // Deploying the promotable version: not offered again meanwhile.
    const promotable = { promotable: { version: '6.9.9' } };
    expect(
      environmentActivity(
        env('prod', d('6.9.9', 'progressing'), promotable),
        test,
      ).kind,
    ).toBe('deploying');
    // Another version stuck deploying does not hide the promotable one.
    expect(
      environmentActivity(
        env('prod', d('6.6.0', 'progressing'), promotable),
        test,
      ).kind,
    ).toBe('promotable');
  });

  it('offers the promotable version', () => {
    const prod = env('prod', d('6.5.0', 'succeeded'), {
      promotable: { version: '6.9.9' },
    });
    expect(environmentActivity(prod, test)).toEqual({
      kind: 'promotable',
      version: '6.9.9',
    });
  });

  it.each([
    [
      'a success only events report upstream',
      env('test', d('6.9.9', 'succeeded', { unconfirmed: true })),
      {},
    ],
    [
      'upstream running a newer version not promotable yet (its Helm tests)',
      test,
      { relation: { upstream: 'test', position: 'behind', versions: 1 } },
    ],
  ] as const)(
    'says a newer upstream version is being confirmed, not "nothing to promote": %s',
    (_case, upstream, extra: Partial<EnvironmentStatus>) => {
      const prod = env('prod', d('6.5.0', 'succeeded'), extra);
      expect(environmentActivity(prod, upstream)).toEqual({
        kind: 'confirming',
        version: '6.9.9',
      });
    },
  );

  it('is ahead when it runs a newer version than upstream, and up to date when level', () => {
    const ahead = env('test', d('6.9.9', 'succeeded'), {
      relation: { upstream: 'dev', position: 'ahead', versions: 1 },
    });
    const dev = env('dev', d('6.5.3', 'succeeded'));
    expect(environmentActivity(ahead, dev)).toEqual({
      kind: 'ahead',
      version: '6.9.9',
    });
    const level = env('prod', d('6.9.9', 'succeeded'), {
      relation: { upstream: 'test', position: 'same', versions: 0 },
    });
    expect(environmentActivity(level, test)).toEqual({
      kind: 'up-to-date',
      version: '6.9.9',
    });
    expect(environmentActivity(dev)).toEqual({
      kind: 'up-to-date',
      version: '6.5.3',
    });
  });
});
