import { mockServices } from '@backstage/backend-test-utils';
import {
  closedPortUrl,
  clusterFor,
  eventually,
} from '../clusters/__testUtils__/sim';
import { ClusterLeaseStore } from '../database/ClusterLeaseStore';
import { ClusterFollower } from './ClusterFollower';

const sink = {
  changed: async () => {},
  listing: () => ({ page() {}, done() {} }),
};

async function follower(store: ClusterLeaseStore) {
  const url = await closedPortUrl();
  return new ClusterFollower({
    clusters: [clusterFor({ url, token: 't' }, { name: 'main' })],
    sink,
    logger: mockServices.logger.mock(),
    // A lease of 3 s, renewed every second: the follower stops watching 1 s
    // before it runs out, a margin a busy machine's timers keep.
    leases: { store, holder: 'me', ttlMs: 3000, renewEveryMs: 1000 },
  });
}

describe('ClusterFollower with leases', () => {
  it('stops watching before its lease expires when renewals hang, and gives the lease up on stop', async () => {
    let calls = 0;
    const store = {
      acquire: jest.fn(async () => {
        calls++;
        // the first call takes the lease; every renewal then hangs
        return calls === 1 ? true : new Promise<boolean>(() => {});
      }),
      release: jest.fn(async () => {}),
      get: jest.fn(async () => undefined),
    };
    const f = await follower(store);
    const started = Date.now();
    f.start();
    await eventually(() => f.watching().includes('main'));
    await eventually(() => f.watching().length === 0, 4000);
    // stopped before the lease (3 s from the first call) ran out
    expect(Date.now() - started).toBeLessThan(3000);
    expect(f.health()[0]).toMatchObject({ name: 'main', connected: false });
    await f.stop();
    expect(store.release).toHaveBeenCalledWith('main', 'me');
  });

  it('does not watch while another replica holds the lease, and reports the health it stored', async () => {
    const store = {
      acquire: jest.fn(async () => false),
      release: jest.fn(async () => {}),
      get: jest.fn(async () => ({
        cluster: 'main',
        holder: 'other',
        expiresAt: new Date(Date.now() + 60_000),
        health: {
          name: 'main',
          connected: true,
          lastEventAt: '2026-11-26T09:00:00.000Z',
        },
      })),
    };
    const f = await follower(store);
    f.start();
    await eventually(() => f.health()[0].connected);
    expect(f.watching()).toEqual([]);
    expect(f.health()).toEqual([
      {
        name: 'main',
        connected: true,
        lastEventAt: '2026-11-26T09:00:00.000Z',
      },
    ]);
    await f.stop();
    expect(store.release).toHaveBeenCalledWith('main', 'me');
  });
});
