import { DeploymentsChangedSignal } from '@flux-pipelines/plugin-flux-pipelines-common';
import { environment, pipeline, target } from '../__testUtils__/fixtures';
import { concernsPipelines } from './concernsPipelines';

const podinfo = [
  pipeline([
    environment('dev', [target('main', 'dev')]),
    environment('prod', [target('main', 'prod'), target('prod-eu', 'prod')]),
  ]),
];

const changed = (
  ...targets: Array<Partial<DeploymentsChangedSignal['targets'][0]>>
): DeploymentsChangedSignal => ({
  type: 'deployments-changed',
  targets: targets.map(t => ({
    cluster: 'main',
    namespace: 'dev',
    kind: 'HelmRelease' as const,
    name: 'podinfo',
    chartVersion: '6.6.0',
    status: 'succeeded' as const,
    ...t,
  })),
});

describe('concernsPipelines', () => {
  it('takes a deployment of one of the pipelines’ targets', () => {
    expect(concernsPipelines(changed({}), podinfo)).toBe(true);
    expect(
      concernsPipelines(
        changed(
          { name: 'checkout' },
          { cluster: 'prod-eu', namespace: 'prod' },
        ),
        podinfo,
      ),
    ).toBe(true);
  });

  it('ignores the rest of the fleet: other apps, clusters and namespaces', () => {
    expect(concernsPipelines(changed({ name: 'checkout' }), podinfo)).toBe(
      false,
    );
    expect(concernsPipelines(changed({ cluster: 'prod-eu' }), podinfo)).toBe(
      false,
    );
    expect(concernsPipelines(changed({ namespace: 'test' }), podinfo)).toBe(
      false,
    );
  });

  it('takes what may change the cards whatever they show', () => {
    // a Kustomization may be where a version came from
    expect(
      concernsPipelines(
        changed({ kind: 'Kustomization', name: 'apps-dev' }),
        podinfo,
      ),
    ).toBe(true);
    expect(concernsPipelines(changed(), podinfo)).toBe(true);
    expect(concernsPipelines(changed({ name: 'checkout' }), undefined)).toBe(
      true,
    );
    expect(concernsPipelines(changed({ name: 'checkout' }), [])).toBe(true);
    expect(
      concernsPipelines({ type: 'pipelines-changed', pipelines: [] }, podinfo),
    ).toBe(true);
  });
});
