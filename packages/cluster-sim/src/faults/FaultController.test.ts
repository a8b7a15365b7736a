import { ClusterSim, startClusterSim } from '../startClusterSim';
import { call } from '../__testUtils__/clients';

/** Faults injected through the loopback control endpoint, as later fault tests will. */
describe('fault controls', () => {
  let sim: ClusterSim;
  beforeEach(async () => {
    sim = await startClusterSim({ simulator: false });
  });
  afterEach(() => sim.stop());

  const control = (action: string, body: unknown = {}) =>
    call(sim, 'POST', `/_sim/faults/${action}`, { body, token: null });

  it('fails the next requests with 429 and Retry-After, then recovers', async () => {
    expect(
      (await control('errors', { status: 429, count: 2, retryAfterSeconds: 3 }))
        .status,
    ).toBe(200);
    const first = await call(sim, 'GET', '/api/v1/namespaces');
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('3');
    expect(first.json).toMatchObject({
      kind: 'Status',
      reason: 'TooManyRequests',
      code: 429,
    });
    expect((await call(sim, 'GET', '/api/v1/namespaces')).status).toBe(429);
    expect((await call(sim, 'GET', '/api/v1/namespaces')).status).toBe(200);
  });

  it('fails a repeatable share of requests with 500', async () => {
    await control('errors', { status: 500, ratio: 0.5 });
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++)
      statuses.push((await call(sim, 'GET', '/api/v1/namespaces')).status);
    const failed = statuses.filter(s => s === 500).length;
    expect(failed).toBeGreaterThan(8);
    expect(failed).toBeLessThan(32);
    await control('clear');
    expect((await call(sim, 'GET', '/api/v1/namespaces')).status).toBe(200);
  });

  it('adds latency', async () => {
    await control('latency', { ms: 300 });
    const started = Date.now();
    await call(sim, 'GET', '/api/v1/namespaces');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('holds requests while paused and answers them on resume', async () => {
    await control('pause');
    let answered = false;
    const pending = call(sim, 'GET', '/api/v1/namespaces').then(r => {
      answered = true;
      return r;
    });
    await new Promise(r => setTimeout(r, 200));
    expect(answered).toBe(false);
    expect(
      (await call(sim, 'GET', '/_sim/faults', { token: null })).json,
    ).toMatchObject({ paused: true });
    await control('resume');
    expect((await pending).status).toBe(200);
  });

  it('restart makes earlier resourceVersions expire for watches', async () => {
    const rv = (await call(sim, 'GET', '/api/v1/namespaces')).json.metadata
      .resourceVersion;
    const result = await call(sim, 'POST', '/_sim/faults', {
      body: { action: 'restart' },
      token: null,
    });
    expect(result.json.state.oldestResourceVersion).toBeGreaterThan(Number(rv));
    const watch = await call(
      sim,
      'GET',
      `/api/v1/namespaces?watch=1&resourceVersion=${rv}`,
    );
    expect(watch.json).toMatchObject({
      type: 'ERROR',
      object: { code: 410, reason: 'Expired' },
    });
  });

  it('restoring an etcd backup puts the objects back, and a watch from a later version waits, then gets 504', async () => {
    const backup = sim.faults.backup();
    await call(sim, 'POST', '/api/v1/namespaces', {
      body: { metadata: { name: 'after-backup' } },
    });
    const seen = (await call(sim, 'GET', '/api/v1/namespaces')).json;
    expect(seen.items.map((n: any) => n.metadata.name)).toContain(
      'after-backup',
    );
    sim.faults.restoreBackup(backup);
    const listed = (await call(sim, 'GET', '/api/v1/namespaces')).json;
    expect(listed.items.map((n: any) => n.metadata.name)).not.toContain(
      'after-backup',
    );
    const started = Date.now();
    const watch = await call(
      sim,
      'GET',
      `/api/v1/namespaces?watch=1&resourceVersion=${seen.metadata.resourceVersion}`,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
    expect(watch.status).toBe(504);
    expect(watch.json).toMatchObject({
      kind: 'Status',
      code: 504,
      reason: 'Timeout',
      message: `Too large resource version: ${seen.metadata.resourceVersion}, current: ${listed.metadata.resourceVersion}`,
      details: { causes: [{ reason: 'ResourceVersionTooLarge' }] },
    });
  });

  it('rejects unknown fault actions', async () => {
    const res = await control('explode');
    expect(res.status).toBe(400);
    expect(res.json.message).toContain('close-watches');
  });
});
