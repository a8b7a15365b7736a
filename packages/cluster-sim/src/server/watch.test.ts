import {
  CustomObjectsApi,
  KubernetesObject,
  Watch,
  makeInformer,
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
const HR_PATH = '/apis/helm.toolkit.fluxcd.io/v2/helmreleases';

describe('watch', () => {
  let sim: ClusterSim;
  const aborts: AbortController[] = [];
  beforeEach(async () => {
    sim = await startClusterSim({
      namespaces: ['dev', 'prod'],
      simulator: false,
      bookmarkIntervalMs: 100,
    });
  });
  afterEach(async () => {
    aborts.splice(0).forEach(a => a.abort());
    await sim.stop();
  });

  async function watch(
    path: string,
    params: Record<string, string | number | boolean>,
  ) {
    const events: { type: string; object: any }[] = [];
    let done: unknown = 'open';
    const abort = await new Watch(kubeConfigFor(sim)).watch(
      path,
      params,
      (type, object) => events.push({ type, object }),
      err => {
        done = err ?? 'closed';
      },
    );
    aborts.push(abort);
    return { events, isDone: () => done !== 'open' };
  }

  it('streams changes after the given resourceVersion, then bookmarks', async () => {
    const created = await call(
      sim,
      'POST',
      '/apis/helm.toolkit.fluxcd.io/v2/namespaces/dev/helmreleases',
      { body: podinfoRelease('dev') },
    );
    const from = created.json.metadata.resourceVersion;
    const w = await watch(HR_PATH, {
      resourceVersion: from,
      allowWatchBookmarks: true,
    });
    await call(
      sim,
      'PATCH',
      '/apis/helm.toolkit.fluxcd.io/v2/namespaces/dev/helmreleases/podinfo',
      {
        body: { spec: { chart: { spec: { version: '6.5.1' } } } },
        contentType: 'application/merge-patch+json',
      },
    );
    await call(
      sim,
      'DELETE',
      '/apis/helm.toolkit.fluxcd.io/v2/namespaces/dev/helmreleases/podinfo',
    );
    // (on a busy machine a bookmark may also come between the two changes)
    await eventually(() =>
      w.events.some(
        (e, i) =>
          e.type === 'BOOKMARK' &&
          w.events.slice(0, i).some(d => d.type === 'DELETED'),
      ),
    );
    const changes = w.events.filter(e => e.type !== 'BOOKMARK');
    expect(changes.map(e => e.type)).toEqual(['MODIFIED', 'DELETED']);
    expect(changes[0].object.spec.chart.spec.version).toBe('6.5.1');
    const bookmark = w.events.findLast(e => e.type === 'BOOKMARK')!.object;
    expect(bookmark).toEqual({
      kind: 'HelmRelease',
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      metadata: { resourceVersion: expect.any(String) },
    });
    expect(Number(bookmark.metadata.resourceVersion)).toBeGreaterThan(
      Number(changes[1].object.metadata.resourceVersion) - 1,
    );
  });

  it('sends existing objects as ADDED without a resourceVersion and honours selectors', async () => {
    await call(
      sim,
      'POST',
      '/apis/helm.toolkit.fluxcd.io/v2/namespaces/dev/helmreleases',
      { body: podinfoRelease('dev') },
    );
    await call(
      sim,
      'POST',
      '/apis/helm.toolkit.fluxcd.io/v2/namespaces/prod/helmreleases',
      { body: podinfoRelease('prod') },
    );
    const w = await watch(
      '/apis/helm.toolkit.fluxcd.io/v2/namespaces/prod/helmreleases',
      {},
    );
    await eventually(() => w.events.length === 1);
    expect(w.events[0]).toMatchObject({
      type: 'ADDED',
      object: { metadata: { namespace: 'prod' } },
    });
  });

  it('answers a too-old resourceVersion with an ERROR 410 Expired and ends the stream', async () => {
    sim.faults.restart();
    const w = await watch(HR_PATH, { resourceVersion: '1' });
    await eventually(() => w.isDone());
    expect(w.events).toEqual([
      {
        type: 'ERROR',
        object: expect.objectContaining({
          kind: 'Status',
          code: 410,
          reason: 'Expired',
          message: expect.stringMatching(/^too old resource version: 1 /),
        }),
      },
    ]);
  });

  it('ends the stream after timeoutSeconds', async () => {
    const started = Date.now();
    const w = await watch(HR_PATH, { timeoutSeconds: 1 });
    await eventually(() => w.isDone(), 3000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('keeps a client-node informer in sync through dropped watches, restarts and 410s', async () => {
    const kc = kubeConfigFor(sim);
    const custom = kc.makeApiClient(CustomObjectsApi);
    let lists = 0;
    const informer = makeInformer<KubernetesObject>(kc, HR_PATH, () => {
      lists += 1;
      return custom.listClusterCustomObject({ ...HR }) as any;
    });
    const added: string[] = [];
    informer.on('add', o =>
      added.push(`${o.metadata?.namespace}/${o.metadata?.name}`),
    );
    await informer.start();
    try {
      await call(
        sim,
        'POST',
        '/apis/helm.toolkit.fluxcd.io/v2/namespaces/dev/helmreleases',
        { body: podinfoRelease('dev') },
      );
      await eventually(() => informer.list().length === 1);

      // a dropped connection: the informer resumes from its last resourceVersion
      expect(sim.faults.closeWatches()).toBeGreaterThan(0);
      await call(
        sim,
        'POST',
        '/apis/helm.toolkit.fluxcd.io/v2/namespaces/prod/helmreleases',
        { body: podinfoRelease('prod') },
      );
      await eventually(() => informer.list().length === 2);
      expect(lists).toBe(1);

      // an apiserver restart: resuming gives 410, so the informer must relist
      sim.faults.restart();
      await call(
        sim,
        'DELETE',
        '/apis/helm.toolkit.fluxcd.io/v2/namespaces/dev/helmreleases/podinfo',
      );
      await eventually(() => informer.list().length === 1);
      expect(informer.list()[0].metadata?.namespace).toBe('prod');
      expect(lists).toBe(2);

      // a forced 410 on the next watch
      sim.faults.expireNextWatch();
      sim.faults.closeWatches();
      await call(
        sim,
        'PATCH',
        '/apis/helm.toolkit.fluxcd.io/v2/namespaces/prod/helmreleases/podinfo',
        {
          body: { metadata: { labels: { after: 'expiry' } } },
          contentType: 'application/merge-patch+json',
        },
      );
      await eventually(
        () => informer.list()[0]?.metadata?.labels?.after === 'expiry',
      );
      expect(lists).toBe(3);
      expect(added).toEqual(['dev/podinfo', 'prod/podinfo']);
    } finally {
      await informer.stop();
    }
  });
});
