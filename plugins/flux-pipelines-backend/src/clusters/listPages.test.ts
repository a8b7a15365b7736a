import {
  ClusterSim,
  RESOURCE_TYPES,
  startClusterSim,
} from '@internal/cluster-sim';
import { KubeObject } from './listResource';
import { ResourceWatcher, WatchEventType } from './ResourceWatcher';
import { toKubeConfig } from './toKubeConfig';
import {
  FAST_BACKOFF,
  HELM_RELEASES,
  clusterFor,
  eventually,
  helmRelease,
} from './__testUtils__/sim';

jest.setTimeout(60_000);

/** Generous: a loaded CI machine is slow, and each wait ends when met. */
const WAIT_MS = 30_000;
const HR_TYPE = RESOURCE_TYPES.find(t => t.kind === 'HelmRelease')!;
/** Listed in this order (the stand-in sorts by namespace/name). */
const NAMES = ['app-a', 'app-b', 'app-c', 'app-d', 'app-e'];

interface ListSeen {
  relist: boolean;
  pages: string[][];
  done: boolean;
}

/**
 * A HelmRelease watcher on the stand-in listing 2 objects a page; `onPage`
 * runs inside each page's delivery (the next page may be on its way, the one
 * after it is asked for only once this delivery is done).
 */
function watchInPages(
  sim: ClusterSim,
  onPage: (list: number, page: number) => void = () => {},
) {
  const lists: ListSeen[] = [];
  const events: Array<[WatchEventType, string]> = [];
  const controller = new AbortController();
  const done = new ResourceWatcher({
    kubeConfig: toKubeConfig(clusterFor(sim)),
    resource: HELM_RELEASES,
    backoff: FAST_BACKOFF,
    listPageSize: 2,
    onEvents: changes => {
      for (const { type, object } of changes)
        events.push([type, object.metadata!.name!]);
    },
    onList: ({ relist }) => {
      const list: ListSeen = { relist, pages: [], done: false };
      lists.push(list);
      return {
        page: async (items: KubeObject[]) => {
          list.pages.push(items.map(i => i.metadata!.name!));
          onPage(lists.length, list.pages.length);
        },
        done: () => {
          list.done = true;
        },
      };
    },
  }).run(controller.signal);
  const stop = async () => {
    controller.abort();
    await done;
  };
  return { lists, events, stop };
}

describe('ResourceWatcher lists in pages', () => {
  let sim: ClusterSim;
  let stop: () => Promise<void> = async () => {};

  beforeEach(async () => {
    sim = await startClusterSim({
      namespaces: ['dev'],
      objects: NAMES.map(name => helmRelease('dev', name)),
      simulator: false,
    });
  });

  afterEach(async () => {
    await stop();
    await sim.stop();
  });

  it('hands the pages over in order, asking for the one after next only once a page is handled, then says the list is done', async () => {
    const w = watchInPages(sim, (list, page) => {
      // Created while page 1 is handled: page 3 (asked for after) has it.
      if (list === 1 && page === 1) sim.apply([helmRelease('dev', 'app-f')]);
    });
    stop = w.stop;
    await eventually(() => w.lists[0]?.done, WAIT_MS);
    expect(w.lists).toEqual([
      {
        relist: false,
        pages: [
          ['app-a', 'app-b'],
          ['app-c', 'app-d'],
          ['app-e', 'app-f'],
        ],
        done: true,
      },
    ]);
  });

  it('lists again from the first page when the continue token expired (410 Gone); the broken list is never done', async () => {
    const w = watchInPages(sim, (list, page) => {
      // The API server forgets the list's version between two pages.
      if (list === 1 && page === 1) sim.store.forgetHistory();
    });
    stop = w.stop;
    await eventually(() => w.lists[1]?.done, WAIT_MS);
    // The page already on its way may have come; the one after could not.
    const broken = w.lists[0].pages.flat();
    expect(w.lists[0].done).toBe(false);
    expect(broken.length).toBeLessThan(NAMES.length);
    expect(broken).toEqual(NAMES.slice(0, broken.length));
    expect(w.lists[1].pages.flat()).toEqual(NAMES);
    expect(w.lists).toHaveLength(2);

    // And the watch goes on from the new list.
    sim.apply([helmRelease('dev', 'after')]);
    await eventually(
      () => w.events.some(([, name]) => name === 'after'),
      WAIT_MS,
    );
    expect(w.events).toEqual([['ADDED', 'after']]);
  });

  it('an object deleted while the list is paged is in no later page, and the watch reports the deletion of one already paged', async () => {
    const w = watchInPages(sim, (list, page) => {
      if (list === 1 && page === 1) {
        sim.store.delete(HR_TYPE, 'dev', 'app-a'); // paged already
        sim.store.delete(HR_TYPE, 'dev', 'app-e'); // page 3: not asked for yet
      }
    });
    stop = w.stop;
    await eventually(() => w.lists[0]?.done, WAIT_MS);
    expect(w.lists[0].pages.flat()).toEqual([
      'app-a',
      'app-b',
      'app-c',
      'app-d',
    ]);
    await eventually(
      () =>
        w.events.some(([type, name]) => type === 'DELETED' && name === 'app-a'),
      WAIT_MS,
    );
    expect(w.events).toContainEqual(['DELETED', 'app-a']);
  });
});
