import {
  CoreV1Api,
  CustomObjectsApi,
  EventsV1Api,
  PatchStrategy,
  Watch,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { ClusterSim, startClusterSim } from '../startClusterSim';
import {
  call,
  eventually,
  kubeConfigFor,
  podinfoRelease,
} from '../__testUtils__/clients';

const HR = {
  group: 'helm.toolkit.fluxcd.io',
  version: 'v2',
  plural: 'helmreleases',
};

describe('the API server', () => {
  let sim: ClusterSim;
  beforeEach(async () => {
    sim = await startClusterSim({
      namespaces: ['dev', 'prod'],
      simulator: false,
      extraTokens: [
        { token: 'dev-only', user: 'dev-reader', namespaces: ['dev'] },
      ],
    });
  });
  afterEach(() => sim.stop());

  it('serves namespaces and custom resources to client-node, in every served version', async () => {
    const kc = kubeConfigFor(sim);
    const core = kc.makeApiClient(CoreV1Api);
    const names = (await core.listNamespace()).items.map(n => n.metadata?.name);
    expect(names).toEqual(
      expect.arrayContaining(['default', 'dev', 'prod', 'flux-system']),
    );

    const custom = kc.makeApiClient(CustomObjectsApi);
    await custom.createNamespacedCustomObject({
      ...HR,
      namespace: 'dev',
      body: podinfoRelease('dev'),
    });
    await custom.createNamespacedCustomObject({
      ...HR,
      namespace: 'prod',
      body: podinfoRelease('prod'),
    });
    const all = await custom.listClusterCustomObject({ ...HR });
    expect(
      all.items.map((i: any) => `${i.metadata.namespace}/${i.metadata.name}`),
    ).toEqual(['dev/podinfo', 'prod/podinfo']);
    expect(Number(all.metadata.resourceVersion)).toBeGreaterThan(0);

    const old = await custom.getNamespacedCustomObject({
      ...HR,
      version: 'v2beta1',
      namespace: 'dev',
      name: 'podinfo',
    });
    expect(old.apiVersion).toBe('helm.toolkit.fluxcd.io/v2beta1');
    expect(old.metadata.generation).toBe(1);
  });

  it('filters lists by label selector and pages them with limit/continue', async () => {
    for (const ns of ['dev', 'prod'])
      await call(
        sim,
        'POST',
        `/apis/helm.toolkit.fluxcd.io/v2/namespaces/${ns}/helmreleases`,
        { body: podinfoRelease(ns) },
      );
    await call(
      sim,
      'POST',
      '/apis/helm.toolkit.fluxcd.io/v2/namespaces/dev/helmreleases',
      {
        body: {
          ...podinfoRelease('dev'),
          metadata: { name: 'other', labels: { app: 'other' } },
        },
      },
    );
    const selected = await call(
      sim,
      'GET',
      '/apis/helm.toolkit.fluxcd.io/v2/helmreleases?labelSelector=app%3Dpodinfo',
    );
    expect(selected.json.items).toHaveLength(2);

    const page1 = await call(
      sim,
      'GET',
      '/apis/helm.toolkit.fluxcd.io/v2/helmreleases?limit=2',
    );
    expect(page1.json.items).toHaveLength(2);
    expect(page1.json.metadata.remainingItemCount).toBe(1);
    const page2 = await call(
      sim,
      'GET',
      `/apis/helm.toolkit.fluxcd.io/v2/helmreleases?limit=2&continue=${page1.json.metadata.continue}`,
    );
    expect(page2.json.items.map((i: any) => i.metadata.name)).toEqual([
      'podinfo',
    ]);
    expect(page2.json.metadata.continue).toBeUndefined();
  });

  it('shows the same events under core/v1 and events.k8s.io/v1 with field selectors on both', async () => {
    const kc = kubeConfigFor(sim);
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedEvent({
      namespace: 'dev',
      body: {
        metadata: { name: 'podinfo.1' },
        involvedObject: {
          kind: 'HelmRelease',
          namespace: 'dev',
          name: 'podinfo',
          apiVersion: 'helm.toolkit.fluxcd.io/v2',
        },
        reason: 'UpgradeSucceeded',
        message: 'Helm upgrade succeeded',
        type: 'Normal',
        count: 1,
        source: { component: 'helm-controller' },
      },
    });
    const byCore = await core.listEventForAllNamespaces({
      fieldSelector:
        'involvedObject.name=podinfo,involvedObject.kind=HelmRelease',
    });
    expect(byCore.items.map(e => e.reason)).toEqual(['UpgradeSucceeded']);
    expect(
      (
        await core.listEventForAllNamespaces({
          fieldSelector: 'involvedObject.name=other',
        })
      ).items,
    ).toHaveLength(0);

    const events = kc.makeApiClient(EventsV1Api);
    const byRegarding = await events.listNamespacedEvent({
      namespace: 'dev',
      fieldSelector: 'regarding.name=podinfo',
    });
    expect(byRegarding.items[0]).toMatchObject({
      note: 'Helm upgrade succeeded',
      regarding: { name: 'podinfo', kind: 'HelmRelease' },
      deprecatedCount: 1,
      deprecatedSource: { component: 'helm-controller' },
    });
  });

  it('patches with merge-patch, JSON patch and apply, and keeps status to the status subresource', async () => {
    const kc = kubeConfigFor(sim);
    const custom = kc.makeApiClient(CustomObjectsApi);
    await custom.createNamespacedCustomObject({
      ...HR,
      namespace: 'dev',
      body: podinfoRelease('dev'),
    });
    const merged = await custom.patchNamespacedCustomObject(
      {
        ...HR,
        namespace: 'dev',
        name: 'podinfo',
        body: {
          spec: { chart: { spec: { version: '6.5.1' } } },
          status: { ignored: true },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(merged.spec.chart.spec.version).toBe('6.5.1');
    expect(merged.status).toBeUndefined();
    expect(merged.metadata.generation).toBe(2);

    const jsonPatched = await custom.patchNamespacedCustomObject({
      ...HR,
      namespace: 'dev',
      name: 'podinfo',
      body: [
        { op: 'replace', path: '/spec/chart/spec/version', value: '6.5.2' },
      ],
    });
    expect(jsonPatched.spec.chart.spec.version).toBe('6.5.2');

    const status = await custom.patchNamespacedCustomObjectStatus(
      {
        ...HR,
        namespace: 'dev',
        name: 'podinfo',
        body: { status: { observedGeneration: 3 } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(status.status.observedGeneration).toBe(3);
    expect(status.metadata.generation).toBe(3);

    const applied = await call(
      sim,
      'PATCH',
      '/apis/helm.toolkit.fluxcd.io/v2/namespaces/prod/helmreleases/podinfo?fieldManager=test',
      {
        body: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\nspec:\n  chart:\n    spec:\n      chart: podinfo\n      version: 6.0.0\n',
        contentType: 'application/apply-patch+yaml',
      },
    );
    expect(applied.status).toBe(201);
    const strategic = await call(
      sim,
      'PATCH',
      '/apis/helm.toolkit.fluxcd.io/v2/namespaces/prod/helmreleases/podinfo',
      {
        body: { spec: {} },
        contentType: 'application/strategic-merge-patch+json',
      },
    );
    expect(strategic.status).toBe(415);
  });

  it('answers errors as Status objects: 401, 403, 404, 409', async () => {
    const noToken = await call(sim, 'GET', '/api/v1/namespaces', {
      token: null,
    });
    expect(noToken.status).toBe(401);
    expect(noToken.json).toMatchObject({
      kind: 'Status',
      reason: 'Unauthorized',
      code: 401,
    });
    expect(
      (await call(sim, 'GET', '/api/v1/namespaces', { token: 'wrong' })).status,
    ).toBe(401);

    expect(
      (
        await call(
          sim,
          'GET',
          '/apis/helm.toolkit.fluxcd.io/v2/namespaces/dev/helmreleases',
          { token: 'dev-only' },
        )
      ).status,
    ).toBe(200);
    const forbidden = await call(
      sim,
      'GET',
      '/apis/helm.toolkit.fluxcd.io/v2/helmreleases',
      { token: 'dev-only' },
    );
    expect(forbidden.status).toBe(403);
    expect(forbidden.json.message).toBe(
      'helmreleases.helm.toolkit.fluxcd.io is forbidden: User "dev-reader" cannot list resource "helmreleases" in API group "helm.toolkit.fluxcd.io" at the cluster scope',
    );
    expect(
      (
        await call(
          sim,
          'GET',
          '/apis/helm.toolkit.fluxcd.io/v2/namespaces/prod/helmreleases',
          { token: 'dev-only' },
        )
      ).status,
    ).toBe(403);

    const missing = await call(
      sim,
      'GET',
      '/apis/helm.toolkit.fluxcd.io/v2/namespaces/dev/helmreleases/nope',
    );
    expect(missing.json).toMatchObject({
      code: 404,
      reason: 'NotFound',
      message: 'helmreleases.helm.toolkit.fluxcd.io "nope" not found',
    });
    expect(
      (
        await call(
          sim,
          'POST',
          '/apis/helm.toolkit.fluxcd.io/v2/namespaces/nowhere/helmreleases',
          { body: podinfoRelease('nowhere') },
        )
      ).status,
    ).toBe(404);

    const created = await call(
      sim,
      'POST',
      '/apis/helm.toolkit.fluxcd.io/v2/namespaces/dev/helmreleases',
      { body: podinfoRelease('dev') },
    );
    expect(
      (
        await call(
          sim,
          'POST',
          '/apis/helm.toolkit.fluxcd.io/v2/namespaces/dev/helmreleases',
          { body: podinfoRelease('dev') },
        )
      ).json.reason,
    ).toBe('AlreadyExists');
    const stale = {
      ...created.json,
      metadata: { ...created.json.metadata, resourceVersion: '1' },
    };
    const conflict = await call(
      sim,
      'PUT',
      '/apis/helm.toolkit.fluxcd.io/v2/namespaces/dev/helmreleases/podinfo',
      { body: stale },
    );
    expect(conflict.json).toMatchObject({ code: 409, reason: 'Conflict' });
  });

  it('serves discovery that lists every resource and its status subresource', async () => {
    expect(
      (await call(sim, 'GET', '/version', { token: null })).json.minor,
    ).toBe('32');
    const groups = (await call(sim, 'GET', '/apis')).json.groups.map(
      (g: any) => g.name,
    );
    expect(groups).toEqual(
      expect.arrayContaining([
        'events.k8s.io',
        'helm.toolkit.fluxcd.io',
        'kustomize.toolkit.fluxcd.io',
        'source.toolkit.fluxcd.io',
        'pipelines.weave.works',
      ]),
    );
    const helm = (await call(sim, 'GET', '/apis/helm.toolkit.fluxcd.io')).json;
    expect(helm.versions.map((v: any) => v.version)).toEqual([
      'v2',
      'v2beta2',
      'v2beta1',
    ]);
    const resources = (
      await call(sim, 'GET', '/apis/helm.toolkit.fluxcd.io/v2beta2')
    ).json.resources.map((r: any) => r.name);
    expect(resources).toEqual(['helmreleases', 'helmreleases/status']);
  });

  it('serves core v1 Secrets: stringData stored as base64 data, listed, read and watched', async () => {
    const kc = kubeConfigFor(sim);
    const core = kc.makeApiClient(CoreV1Api);
    const seen: Array<{ type: string; name?: string }> = [];
    const watch = await new Watch(kc).watch(
      '/api/v1/namespaces/dev/secrets',
      {},
      (type, object) => seen.push({ type, name: object.metadata?.name }),
      () => {},
    );
    try {
      const created = await core.createNamespacedSecret({
        namespace: 'dev',
        body: {
          metadata: { name: 'github-token' },
          data: { username: Buffer.from('bot').toString('base64') },
          stringData: { token: 'ghp_fromStringData' },
        },
      });
      expect(created.type).toBe('Opaque');
      expect(created.stringData).toBeUndefined();
      const read = await core.readNamespacedSecret({
        namespace: 'dev',
        name: 'github-token',
      });
      expect(
        Object.fromEntries(
          Object.entries(read.data ?? {}).map(([k, v]) => [
            k,
            Buffer.from(v, 'base64').toString('utf8'),
          ]),
        ),
      ).toEqual({ username: 'bot', token: 'ghp_fromStringData' });
      const listed = await core.listNamespacedSecret({ namespace: 'dev' });
      expect(listed.items.map(i => i.metadata?.name)).toEqual(['github-token']);
      expect(
        (await core.listNamespacedSecret({ namespace: 'prod' })).items,
      ).toEqual([]);
      await eventually(() => seen.length > 0);
      expect(seen).toEqual([{ type: 'ADDED', name: 'github-token' }]);
    } finally {
      watch.abort();
    }

    const notBase64 = await call(
      sim,
      'POST',
      '/api/v1/namespaces/dev/secrets',
      {
        body: { metadata: { name: 'bad' }, data: { token: 'not base64!' } },
      },
    );
    expect(notBase64.json).toMatchObject({ code: 400, reason: 'BadRequest' });
    expect(notBase64.json.message).toContain('illegal base64 data');
    const missing = await call(
      sim,
      'GET',
      '/api/v1/namespaces/dev/secrets/nope',
    );
    expect(missing.json).toMatchObject({
      code: 404,
      reason: 'NotFound',
      message: 'secrets "nope" not found',
    });

    const core1 = (await call(sim, 'GET', '/api/v1')).json.resources;
    expect(core1).toContainEqual(
      expect.objectContaining({
        name: 'secrets',
        singularName: 'secret',
        kind: 'Secret',
        namespaced: true,
      }),
    );
    expect(core1.find((r: any) => r.name === 'secrets').shortNames).toBe(
      undefined,
    );
    const openapi = (await call(sim, 'GET', '/openapi/v3/api/v1')).json;
    expect(Object.keys(openapi.paths)).toContain(
      '/api/v1/namespaces/{namespace}/secrets/{name}',
    );
  });
});
