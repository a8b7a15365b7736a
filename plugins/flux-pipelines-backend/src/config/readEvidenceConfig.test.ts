import { ConfigReader } from '@backstage/config';
import { coreEvent } from '../ingest/__fixtures__/events';
import { normaliseCoreEvent } from '../ingest';
import { readEvidenceConfig } from './readEvidenceConfig';

const upgrade = (component: string) => ({
  ...coreEvent({
    reason: 'UpgradeSucceeded',
    message:
      'Helm upgrade succeeded for release apps/podinfo.v2 with chart podinfo@6.5.1',
  }),
  source: { component },
  reportingComponent: component,
});

describe('readEvidenceConfig', () => {
  it("defaults to Flux's own controllers and confirmation everywhere", () => {
    const evidence = readEvidenceConfig(new ConfigReader({}));
    expect(evidence.controllers).toEqual({
      HelmRelease: ['helm-controller'],
      Kustomization: ['kustomize-controller'],
    });
    expect([...evidence.eventOnlyClusters]).toEqual([]);
  });

  it('takes renamed controllers, which then are the only ones that count', () => {
    const evidence = readEvidenceConfig(
      new ConfigReader({
        fluxPipelines: {
          evidence: {
            controllers: { HelmRelease: ['acme-helm'] },
            eventOnlyClusters: ['edge'],
          },
        },
      }),
    );
    expect(evidence.controllers.Kustomization).toEqual([
      'kustomize-controller',
    ]);
    expect([...evidence.eventOnlyClusters]).toEqual(['edge']);
    const ctx = { cluster: 'main', controllers: evidence.controllers };
    expect(normaliseCoreEvent(upgrade('acme-helm'), ctx).ok).toBe(true);
    expect(normaliseCoreEvent(upgrade('helm-controller'), ctx)).toMatchObject({
      ok: false,
      rule: 'fluxPipelines.evidence.controllers',
    });
  });

  it('refuses an empty controller list', () => {
    expect(() =>
      readEvidenceConfig(
        new ConfigReader({
          fluxPipelines: { evidence: { controllers: { HelmRelease: [] } } },
        }),
      ),
    ).toThrow(/fluxPipelines.evidence.controllers.HelmRelease must name/);
  });
});
