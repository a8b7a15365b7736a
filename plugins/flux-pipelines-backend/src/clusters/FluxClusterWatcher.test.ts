import { ClusterSim, startClusterSim } from '@internal/cluster-sim';
import { ClusterHealth, FluxClusterWatcher } from './FluxClusterWatcher';
import { FluxObjectSink } from './FluxObjectSink';
import {
  FAST_BACKOFF,
  closedPortUrl,
  clusterFor,
  eventually,
  fluxEvent,
  helmRelease,
} from './__testUtils__/sim';

function recordingSink() {
  const seen: string[] = [];
  const synced: string[] = [];
  const sink: FluxObjectSink = {
    changed: (cluster, kind, changes) => {
      for (const { object, change } of changes) {
        const name = object.metadata!.name;
        const what: Record<string, string> = {
          HelmRelease: `${change.apiVersion} HelmRelease ${change.type}`,
          Event: `${change.apiVersion} Event`,
        };
        seen.push(`${cluster} ${what[kind] ?? kind} ${name}`);
      }
    },
    listing: (cluster, kind, { relist }) => {
      let count = 0;
      return {
        page: items => {
          count += items.length;
        },
        done: () => {
          synced.push(`${cluster} ${kind} ${count}${relist ? ' relist' : ''}`);
        },
      };
    },
  };
  return { sink, seen, synced };
}

describe('FluxClusterWatcher', () => {
  let sim: ClusterSim;
  const controller = new AbortController();
  const running: Promise<void>[] = [];

  function start(
    options: Partial<Parameters<typeof FluxClusterWatcher.create>[0]>,
  ) {
    const watcher = FluxClusterWatcher.create({
      cluster: clusterFor(sim),
      sink: recordingSink().sink,
      backoff: FAST_BACKOFF,
      ...options,
    });
    running.push(watcher.run(controller.signal));
    return watcher;
  }

  beforeAll(async () => {
    sim = await startClusterSim({
      namespaces: ['dev'],
      objects: [helmRelease('dev', 'podinfo')],
      simulator: false,
    });
  });

  afterAll(async () => {
    controller.abort();
    await Promise.all(running);
    await eventually(() => sim.faults.state().openWatches === 0);
    await sim.stop();
  });

  it('follows HelmReleases (v2) and Events and reports health', async () => {
    const { sink, seen, synced } = recordingSink();
    const healths: ClusterHealth[] = [];
    const watcher = start({ sink, onHealth: h => healths.push(h) });
    await eventually(() => watcher.health().connected);
    expect(synced).toEqual(
      expect.arrayContaining([
        'sim HelmRelease 1',
        'sim Event 0',
        'sim Kustomization 0',
        'sim Pipeline 0',
      ]),
    );
    sim.apply([
      helmRelease('dev', 'podinfo', '2.0.0'),
      fluxEvent('dev', 'podinfo.1', 'upgraded'),
    ]);
    await eventually(() => seen.length === 2);
    expect(seen.sort()).toEqual([
      'sim helm.toolkit.fluxcd.io/v2 HelmRelease MODIFIED podinfo',
      'sim v1 Event podinfo.1',
    ]);
    expect(watcher.health()).toMatchObject({
      connected: true,
      lastError: undefined,
    });
    expect(watcher.health().lastEventAt).toBeInstanceOf(Date);
    expect(Object.keys(watcher.health().resources)).toContain(
      'helm.toolkit.fluxcd.io/v2/helmreleases',
    );
  });

  it('watches events.k8s.io Events when the cluster asks for it', async () => {
    const { sink, seen } = recordingSink();
    const watcher = start({
      sink,
      cluster: clusterFor(sim, { eventApis: ['events.k8s.io'] }),
    });
    await eventually(() => watcher.health().connected);
    sim.apply([fluxEvent('dev', 'podinfo.2', 'again')]);
    await eventually(() =>
      seen.includes('sim events.k8s.io/v1 Event podinfo.2'),
    );
    expect(Object.keys(watcher.health().resources)).not.toContain(
      'core/v1/events',
    );
  });

  it('reports objects the sink fails on and keeps watching', async () => {
    const { sink, seen } = recordingSink();
    const invalid: string[] = [];
    const watcher = start({
      sink: {
        ...sink,
        changed: (cluster, kind, changes) => {
          if (changes.some(c => c.object.metadata!.name === 'broken'))
            throw new Error('no chart version');
          return sink.changed(cluster, kind, changes);
        },
      },
      onInvalid: (cluster, what, error) =>
        invalid.push(`${cluster} ${what}: ${error.message}`),
    });
    await eventually(() => watcher.health().connected);
    sim.apply([helmRelease('dev', 'broken')]);
    sim.apply([helmRelease('dev', 'fine')]);
    await eventually(() => seen.some(s => s.endsWith('ADDED fine')));
    expect(invalid).toEqual(['sim HelmRelease dev/broken: no chart version']);
  });

  it('shows a wrong token as disconnected, without the token', async () => {
    const token = 'wrong-token-abcdef';
    const watcher = start({ cluster: clusterFor(sim, { name: 'bad', token }) });
    const health = await eventually(
      () => watcher.health().lastError && watcher.health(),
    );
    expect(health).toMatchObject({ cluster: 'bad', connected: false });
    expect(health && health.lastError).toMatch(/401/);
    expect(JSON.stringify(health)).not.toContain(token);
  });

  it('keeps following one cluster while another is unreachable', async () => {
    const { sink, seen } = recordingSink();
    const down = start({
      cluster: clusterFor(sim, { name: 'down', url: await closedPortUrl() }),
    });
    const up = start({ sink, cluster: clusterFor(sim, { name: 'up' }) });
    await eventually(() => up.health().connected);
    sim.apply([fluxEvent('dev', 'podinfo.3', 'still here')]);
    await eventually(() => seen.includes('up v1 Event podinfo.3'));
    expect(down.health()).toMatchObject({ connected: false });
    expect(down.health().lastError).toMatch(/ECONNREFUSED/);
  });
});
