import { Entity } from '@backstage/catalog-model';
import { Pipeline } from '@flux-pipelines/plugin-flux-pipelines-common';
import { FluxObjectRef } from '../database/ObservationStore';
import { pipelinesForEntity } from './pipelinesForEntity';

function pipeline(
  name: string,
  app: string,
  targets: Array<[cluster: string, namespace: string]>,
  kind: Pipeline['appRef']['kind'] = 'HelmRelease',
): Pipeline {
  return {
    namespace: 'flux-system',
    name,
    source: 'config',
    appRef: { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind, name: app },
    environments: targets.map(([cluster, namespace], i) => ({
      name: `env-${i}`,
      targets: [{ cluster, namespace }],
    })),
  };
}

function entity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'podinfo', annotations },
    spec: {},
  };
}

const podinfo = pipeline('podinfo', 'podinfo', [
  ['main', 'dev'],
  ['edge', 'prod'],
]);
const checkout = pipeline('checkout', 'checkout', [['main', 'dev']]);
const kustomized = pipeline(
  'podinfo-config',
  'podinfo',
  [['main', 'dev']],
  'Kustomization',
);
const all = [checkout, podinfo, kustomized];

const labelled = (...refs: FluxObjectRef[]) => ({
  findAppsByLabel: jest.fn(async (label: string, value: string) =>
    label === 'backstage.io/kubernetes-id' && value === 'podinfo' ? refs : [],
  ),
});
const app = (
  cluster: string,
  namespace: string,
  name = 'podinfo',
  kind: FluxObjectRef['kind'] = 'HelmRelease',
): FluxObjectRef => ({ cluster, namespace, kind, name });

describe('pipelinesForEntity', () => {
  it('finds pipelines by the flux-pipelines.io/pipelines annotation, in its order', () => {
    expect(
      pipelinesForEntity(
        entity({
          'flux-pipelines.io/pipelines':
            'flux-system/podinfo, flux-system/checkout, flux-system/nope',
        }),
        all,
      ),
    ).toEqual([podinfo, checkout]);
  });

  it('finds pipelines whose app carries the backstage.io/kubernetes-id label of the entity', async () => {
    const lookup = labelled(app('edge', 'prod'));
    expect(
      await pipelinesForEntity(
        entity({ 'backstage.io/kubernetes-id': 'podinfo' }),
        all,
        lookup,
      ),
    ).toEqual([podinfo]);
    expect(lookup.findAppsByLabel).toHaveBeenCalledWith(
      'backstage.io/kubernetes-id',
      'podinfo',
    );
  });

  it('matches kind, name, cluster and namespace of the app on a target', async () => {
    const e = entity({ 'backstage.io/kubernetes-id': 'podinfo' });
    // a podinfo HelmRelease somewhere no pipeline deploys to
    expect(
      await pipelinesForEntity(e, all, labelled(app('main', 'test'))),
    ).toEqual([]);
    // the Kustomization named podinfo in main/dev
    expect(
      await pipelinesForEntity(
        e,
        all,
        labelled(app('main', 'dev', 'podinfo', 'Kustomization')),
      ),
    ).toEqual([kustomized]);
    // a labelled object of another name
    expect(
      await pipelinesForEntity(e, all, labelled(app('main', 'dev', 'web'))),
    ).toEqual([]);
  });

  it('lists annotated pipelines first, then labelled ones, each once', async () => {
    expect(
      await pipelinesForEntity(
        entity({
          'flux-pipelines.io/pipelines':
            'flux-system/checkout,flux-system/podinfo',
          'backstage.io/kubernetes-id': 'podinfo',
        }),
        all,
        labelled(
          app('main', 'dev'),
          app('edge', 'prod'),
          app('main', 'dev', 'podinfo', 'Kustomization'),
        ),
      ),
    ).toEqual([checkout, podinfo, kustomized]);
  });

  it('does not look labels up for an entity without the annotation, or without a lookup', async () => {
    const lookup = labelled(app('main', 'dev'));
    expect(await pipelinesForEntity(entity({}), all, lookup)).toEqual([]);
    expect(lookup.findAppsByLabel).not.toHaveBeenCalled();
    expect(
      await pipelinesForEntity(
        entity({ 'backstage.io/kubernetes-id': 'podinfo' }),
        all,
        {},
      ),
    ).toEqual([]);
  });
});
