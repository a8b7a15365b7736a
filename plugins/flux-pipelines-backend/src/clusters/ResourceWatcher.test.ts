import {
  ClusterSim,
  RESOURCE_TYPES,
  startClusterSim,
} from '@internal/cluster-sim';
import {
  ResourceWatcher,
  ResourceWatcherOptions,
  WatchEventType,
  WatchStatus,
} from './ResourceWatcher';
import { toKubeConfig } from './toKubeConfig';
import {
  FAST_BACKOFF,
  clusterFor,
  eventually,
  fluxEvent,
  helmRelease,
} from './__testUtils__/sim';

const HR = {
  group: 'helm.toolkit.fluxcd.io',
  version: 'v2',
  plural: 'helmreleases',
};
const EVENTS = { group: '', version: 'v1', plural: 'events' };

function startWatcher(sim: ClusterSim, resource = HR, token?: string) {
  const events: { type: WatchEventType; name: string; rv: string }[] = [];
  const syncs: { names: string[]; relist: boolean }[] = [];
  const statuses: WatchStatus[] = [];
  const controller = new AbortController();
  const watcher = new ResourceWatcher({
    kubeConfig: toKubeConfig(clusterFor(sim, { token })),
    resource,
    backoff: FAST_BACKOFF,
    secrets: token ? [token] : [],
    onEvents: changes => {
      for (const { type, object } of changes) {
        events.push({
          type,
          name: object.metadata!.name!,
          rv: object.metadata!.resourceVersion!,
        });
      }
    },
    onList: ({ relist }) => {
      const listed: string[] = [];
      return {
        page: items => {
          listed.push(...items.map(i => i.metadata!.name!));
        },
        done: () => {
          syncs.push({ names: listed.sort(), relist });
        },
      };
    },
    onStatus: s => statuses.push(s),
  });
  const done = watcher.run(controller.signal);
  const stop = async () => {
    controller.abort();
    await done;
  };
  return { events, syncs, statuses, stop, done };
}

const names = (events: { type: string; name: string }[], type = 'ADDED') =>
  events.filter(e => e.type === type).map(e => e.name);

describe('ResourceWatcher', () => {
  let sim: ClusterSim;
  let stops: (() => Promise<void>)[];

  beforeEach(async () => {
    stops = [];
    sim = await startClusterSim({
      namespaces: ['dev'],
      objects: [helmRelease('dev', 'existing')],
      simulator: false,
    });
  });

  afterEach(async () => {
    await Promise.all(stops.map(s => s()));
    await sim.stop();
  });

  /** Runs a HelmRelease watcher on the stand-in until the test ends. */
  function runUntilStopped(
    options: Pick<ResourceWatcherOptions, 'onEvents'> &
      Partial<ResourceWatcherOptions>,
  ) {
    const controller = new AbortController();
    const done = new ResourceWatcher({
      kubeConfig: toKubeConfig(clusterFor(sim)),
      resource: HR,
      onList: () => ({ page() {}, done() {} }),
      ...options,
    }).run(controller.signal);
    stops.push(async () => {
      controller.abort();
      await done;
    });
  }

  it('lists, then sees created, patched and deleted objects', async () => {
    const w = startWatcher(sim);
    stops.push(w.stop);
    await eventually(() => w.syncs.length === 1);
    expect(w.syncs[0]).toEqual({ names: ['existing'], relist: false });
    await eventually(() => w.statuses.at(-1)?.connected);

    sim.apply([helmRelease('dev', 'podinfo', '1.0.0')]);
    sim.apply([helmRelease('dev', 'podinfo', '1.1.0')]);
    const hrType = RESOURCE_TYPES.find(t => t.kind === 'HelmRelease')!;
    sim.store.delete(hrType, 'dev', 'podinfo');
    await eventually(() => w.events.length === 3);
    expect(w.events.map(e => [e.type, e.name])).toEqual([
      ['ADDED', 'podinfo'],
      ['MODIFIED', 'podinfo'],
      ['DELETED', 'podinfo'],
    ]);
    expect(w.statuses.at(-1)).toMatchObject({ connected: true });
    expect(w.statuses.at(-1)?.lastEventAt).toBeInstanceOf(Date);
  });

  it('sees core Events as plain JSON', async () => {
    const w = startWatcher(sim, EVENTS);
    stops.push(w.stop);
    await eventually(() => w.syncs.length === 1);
    sim.apply([fluxEvent('dev', 'podinfo.1', 'Helm install succeeded')]);
    await eventually(() => names(w.events).includes('podinfo.1'));
    expect(w.syncs).toEqual([{ names: [], relist: false }]);
  });

  it('resumes after watches close without missing or repeating events', async () => {
    const w = startWatcher(sim);
    stops.push(w.stop);
    await eventually(() => w.syncs.length === 1);
    for (let i = 0; i < 5; i++) {
      sim.apply([helmRelease('dev', `app-${i}`)]);
      if (i % 2 === 0) sim.faults.closeWatches();
      await new Promise(r => setTimeout(r, 30));
    }
    sim.faults.closeWatches();
    sim.apply([helmRelease('dev', 'app-5')]);
    await eventually(() => w.events.length >= 6);
    await new Promise(r => setTimeout(r, 100));
    expect(names(w.events)).toEqual([0, 1, 2, 3, 4, 5].map(i => `app-${i}`));
    expect(new Set(w.events.map(e => e.rv)).size).toBe(w.events.length);
    expect(w.syncs).toHaveLength(1);
  });

  it('hands over what arrives while it is busy in one ordered batch, and resumes after it', async () => {
    const calls: string[][] = [];
    let release: () => void = () => {};
    const busy = new Promise<void>(r => (release = r));
    runUntilStopped({
      backoff: FAST_BACKOFF,
      onEvents: async changes => {
        calls.push(changes.map(c => c.object.metadata!.name!));
        if (calls.length === 1) await busy;
      },
    });
    await eventually(() => sim.faults.state().openWatches === 1);
    sim.apply([helmRelease('dev', 'first')]);
    await eventually(() => calls.length === 1);
    const burst = Array.from({ length: 50 }, (_, i) => `burst-${i}`);
    for (const name of burst) sim.apply([helmRelease('dev', name)]);
    await new Promise(r => setTimeout(r, 200));
    expect(calls).toEqual([['first']]);
    release();
    await eventually(() => calls.flat().length === 51);
    expect(calls.flat()).toEqual(['first', ...burst]);
    expect(calls.length).toBeLessThanOrEqual(3);

    // The next watch starts after the batch: nothing is handed over twice.
    sim.faults.closeWatches();
    sim.apply([helmRelease('dev', 'after')]);
    await eventually(() => calls.flat().includes('after'));
    expect(calls.flat()).toEqual(['first', ...burst, 'after']);
  });

  it('relists on 410 Gone and reports the relist', async () => {
    const w = startWatcher(sim);
    stops.push(w.stop);
    await eventually(() => w.syncs.length === 1);
    sim.faults.expireNextWatch(1);
    sim.faults.closeWatches();
    sim.apply([helmRelease('dev', 'after-expiry')]);
    await eventually(() => w.syncs.length === 2);
    expect(w.syncs[1].relist).toBe(true);
    expect(w.syncs[1].names).toContain('after-expiry');
  });

  it('lists again when the API server was restored from an older etcd backup (504 Too large resource version)', async () => {
    const backup = sim.faults.backup();
    const w = startWatcher(sim);
    stops.push(w.stop);
    await eventually(() => w.syncs.length === 1);
    await eventually(() => w.statuses.at(-1)?.connected);
    sim.apply([helmRelease('dev', 'lost-in-restore')]);
    await eventually(() => names(w.events).includes('lost-in-restore'));

    sim.faults.restoreBackup(backup);
    // The watch resumes from a version the restored server does not have:
    // after its wait, 504; only a new list shows the cluster as it is.
    await eventually(() => w.syncs.length === 2, 10_000);
    expect(w.syncs[1]).toEqual({ names: ['existing'], relist: true });
  }, 20_000);

  it('recovers after an API server restart', async () => {
    const w = startWatcher(sim);
    stops.push(w.stop);
    await eventually(() => w.syncs.length === 1);
    sim.apply([helmRelease('dev', 'before')]);
    await eventually(() => names(w.events).includes('before'));
    sim.faults.restart();
    await new Promise(r => setTimeout(r, 50));
    sim.apply([helmRelease('dev', 'after')]);
    await eventually(
      () =>
        names(w.events).includes('after') ||
        w.syncs.some(s => s.names.includes('after')),
    );
    expect(w.syncs.at(-1)?.relist).toBe(true);
    expect(w.statuses.at(-1)).toMatchObject({ connected: true });
  });

  it('recovers from 429 Too Many Requests', async () => {
    const w = startWatcher(sim);
    stops.push(w.stop);
    await eventually(() => w.syncs.length === 1);
    sim.faults.failRequests({ status: 429, count: 1, retryAfterSeconds: 1 });
    sim.faults.closeWatches();
    const failed = (await eventually(() => w.statuses.find(s => s.lastError)))!;
    expect(failed.lastError).toMatch(/^HTTP 429 Too ?Many ?Requests/);
    sim.apply([helmRelease('dev', 'after-429')]);
    await eventually(() => names(w.events).includes('after-429'));
  });

  it('survives the server ending watches at their timeout', async () => {
    const events: string[] = [];
    runUntilStopped({
      watchTimeoutSeconds: 1,
      onEvents: changes => {
        events.push(...changes.map(c => c.object.metadata!.name!));
      },
    });
    await eventually(() => sim.faults.state().openWatches === 1);
    await new Promise(r => setTimeout(r, 1700));
    sim.apply([helmRelease('dev', 'after-timeout')]);
    await eventually(() => events.includes('after-timeout'));
    expect(events).toEqual(['after-timeout']);
  });

  it('backs off on 500 errors and recovers', async () => {
    const w = startWatcher(sim);
    stops.push(w.stop);
    await eventually(() => w.syncs.length === 1);
    sim.faults.failRequests({ status: 500, count: 4 });
    sim.faults.closeWatches();
    await eventually(() => w.statuses.some(s => s.lastError?.includes('500')));
    sim.apply([helmRelease('dev', 'later')]);
    await eventually(() => names(w.events).includes('later'));
    expect(w.statuses.at(-1)).toMatchObject({ connected: true });
    expect(sim.faults.state().failure?.count).toBe(0);
  });

  it('reports a wrong token without revealing it', async () => {
    const token = 'not-the-right-token-12345';
    const w = startWatcher(sim, HR, token);
    stops.push(w.stop);
    const failed = (await eventually(() => w.statuses.find(s => s.lastError)))!;
    expect(failed.connected).toBe(false);
    expect(failed.lastError).toMatch(/401/);
    expect(JSON.stringify(w.statuses)).not.toContain(token);
    expect(w.syncs).toHaveLength(0);
  });

  it('stops when aborted and leaves no watch open', async () => {
    const w = startWatcher(sim);
    await eventually(() => sim.faults.state().openWatches === 1);
    await w.stop();
    await eventually(() => sim.faults.state().openWatches === 0);
    expect(w.statuses.at(-1)).toMatchObject({ connected: false });
  });
});
