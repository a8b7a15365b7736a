import { ClusterSim } from '@internal/cluster-sim';
import { Knex } from 'knex';
import { createServer, request as httpRequest, Server } from 'node:http';
import { closedPortUrl } from '../../clusters/__testUtils__/sim';
import { createTestDatabases } from '../../__testUtils__/databases';
import {
  ScenarioBackend,
  clusterConfig,
  eventually,
  release,
  startBackend,
  startSim,
  waitForTarget,
} from './__testUtils__/scenarioHelpers';

jest.setTimeout(40_000);

const databases = createTestDatabases();

/** A local HTTP relay for the stand-in's webhook, pointed at the backend once it is up. */
async function startRelay() {
  let target: number | undefined;
  const accepted: number[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      if (!target) {
        res.writeHead(503).end();
        return;
      }
      const out = httpRequest(
        {
          host: '127.0.0.1',
          port: target,
          path: req.url,
          method: req.method,
          headers: req.headers,
        },
        upstream => {
          if ((upstream.statusCode ?? 500) < 300)
            accepted.push(upstream.statusCode!);
          res.writeHead(upstream.statusCode ?? 502, upstream.headers);
          upstream.pipe(res);
        },
      );
      out.on('error', () => res.writeHead(502).end());
      out.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    url: (cluster: string) =>
      `http://127.0.0.1:${port}/api/flux-pipelines/webhook/${cluster}`,
    /** How many deliveries the backend accepted. */
    accepted: () => accepted.length,
    pointAt(backendPort: number) {
      target = backendPort;
    },
    stop: () => new Promise(r => server.close(r)),
  };
}

describe('scenarios: several clusters', () => {
  const sims: ClusterSim[] = [];
  let b: ScenarioBackend | undefined;
  let relay: Awaited<ReturnType<typeof startRelay>> | undefined;

  afterEach(async () => {
    await b?.stop();
    b = undefined;
    await Promise.all(sims.splice(0).map(s => s.stop()));
    await relay?.stop();
    relay = undefined;
  });

  it('(8) a target on a second cluster', async () => {
    const main = await startSim({ namespaces: ['dev'] });
    const prod = await startSim({ namespaces: ['prod'], version: '6.4.0' });
    sims.push(main, prod);
    b = await startBackend({
      clusters: [clusterConfig('main', main), clusterConfig('prod-eu', prod)],
      targets: [
        { env: 'dev', namespace: 'dev' },
        { env: 'prod', namespace: 'prod', cluster: 'prod-eu' },
      ],
    });
    const before = await waitForTarget(b, 'prod', t => !!t.deployed);
    expect(before).toMatchObject({
      cluster: 'prod-eu',
      deployed: { cluster: 'prod-eu', chartVersion: '6.4.0' },
    });
    await release(prod, 'prod', '6.5.0');
    const prodTarget = await waitForTarget(
      b,
      'prod',
      t => t.deployed?.chartVersion === '6.5.0',
    );
    expect(prodTarget.deployed).toMatchObject({
      cluster: 'prod-eu',
      status: 'succeeded',
    });
    expect(prodTarget.latest).toEqual(prodTarget.deployed);
    const dev = await b.target('dev');
    expect(dev.deployed).toMatchObject({
      cluster: 'main',
      chartVersion: '6.5.0',
    });
  });

  it('(9) a webhook-only cluster', async () => {
    relay = await startRelay();
    b = await startBackend({
      clusters: [],
      fluxClusters: [{ name: 'edge', webhookHmacKey: 'edge-secret' }],
      // Nothing reads edge's objects: its events are the only evidence.
      evidence: { eventOnlyClusters: ['edge'] },
      targets: [{ env: 'edge', namespace: 'dev', cluster: 'edge' }],
    });
    relay.pointAt(b.port);
    const edge = await startSim({
      namespaces: ['dev'],
      settled: false,
      simulator: {
        webhook: { url: relay.url('edge'), hmacKey: 'edge-secret' },
      },
    });
    sims.push(edge);
    await waitForTarget(b, 'edge', t => t.deployed?.chartVersion === '6.5.0');
    await release(edge, 'dev', '6.5.1');
    const t = await waitForTarget(
      b,
      'edge',
      x => x.deployed?.chartVersion === '6.5.1',
    );
    expect(t.deployed).toMatchObject({
      cluster: 'edge',
      status: 'succeeded',
      appVersion: '6.5.1',
    });
    expect(t.deployed.message).toMatch(
      /^Helm upgrade succeeded for release dev\/podinfo\.v2/,
    );
    expect(t.latest).toEqual(t.deployed);
    expect(relay.accepted()).toBeGreaterThanOrEqual(2);
  });

  it.each(databases.eachSupportedId())(
    '(9b) the same event by watch and webhook is recorded once, %p',
    async databaseId => {
      const knex: Knex = await databases.init(databaseId);
      relay = await startRelay();
      const main = await startSim({
        namespaces: ['dev'],
        simulator: {
          webhook: { url: relay.url('main'), hmacKey: 'main-secret' },
        },
      });
      sims.push(main);
      b = await startBackend({
        clusters: [clusterConfig('main', main)],
        fluxClusters: [{ name: 'main', webhookHmacKey: 'main-secret' }],
        targets: [{ env: 'dev', namespace: 'dev' }],
        knex,
      });
      relay.pointAt(b.port);
      await waitForTarget(b, 'dev', t => t.deployed?.chartVersion === '6.5.0');
      await release(main, 'dev', '6.5.1');
      await waitForTarget(b, 'dev', t => t.deployed?.chartVersion === '6.5.1');
      const rows = await eventually(async () => {
        const r = await knex('observations').where({
          reason: 'UpgradeSucceeded',
          chart_version: '6.5.1',
        });
        return r.length > 0 && r;
      });
      // give the slower of the two paths time to arrive
      await new Promise(r => setTimeout(r, 500));
      const all = await knex('observations').where({
        reason: 'UpgradeSucceeded',
        chart_version: '6.5.1',
      });
      expect(rows.length).toBeGreaterThan(0);
      expect(all).toHaveLength(1);
      expect(relay!.accepted()).toBeGreaterThan(0);
    },
  );

  it('(12) one of two clusters unreachable: the other works, health says which is down', async () => {
    const main = await startSim({ namespaces: ['dev'] });
    sims.push(main);
    const down = await closedPortUrl();
    b = await startBackend({
      clusters: [
        clusterConfig('main', main),
        clusterConfig('gone', { url: down, token: 't' }),
      ],
      targets: [
        { env: 'dev', namespace: 'dev' },
        { env: 'prod', namespace: 'prod', cluster: 'gone' },
      ],
    });
    await waitForTarget(b, 'dev', t => t.deployed?.chartVersion === '6.5.0');
    await release(main, 'dev', '6.5.1');
    await waitForTarget(b, 'dev', t => t.deployed?.chartVersion === '6.5.1');
    expect((await b.target('prod')).deployed).toBeUndefined();
    const health = await eventually(async () => {
      const h = await b!.health();
      const gone = h.clusters?.find((c: any) => c.name === 'gone');
      return gone?.lastError ? h : undefined;
    });
    expect(health.clusters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'main', connected: true }),
        expect.objectContaining({
          name: 'gone',
          connected: false,
          lastError: expect.any(String),
        }),
      ]),
    );
  });
});
