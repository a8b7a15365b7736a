import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ClusterSim } from '@internal/cluster-sim';
import { Knex } from 'knex';
import { createHmac } from 'node:crypto';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { signWebhook, WEBHOOK_KEYS } from '../__testUtils__/webhooks';
import {
  clusterConfig,
  eventually,
  startSim,
} from '../follow/scenarios/__testUtils__/scenarioHelpers';
import { normalise } from '../ingest';
import { fluxPipelinesPlugin } from '../plugin';
import { EVENT, prng } from './__testUtils__/faultHelpers';
import { expectPagesExact } from '../readmodel/__testUtils__/expectPagesExact';

// Thousands of mutated inputs per path: minutes on a busy 2-core machine.
jest.setTimeout(300_000);

const databases = createTestDatabases();

/**
 * How many mutated inputs each path gets: 5,000 Events and 5,000 webhook
 * bodies on SQLite; 1,000 of each on PostgreSQL, which is there for what
 * only it refuses (NUL characters, values longer than their column) and is
 * slower per write.
 */
const PER_PATH: Record<string, number> = {
  SQLITE_3: Number(process.env.FAULTS_FUZZ_PER_PATH ?? 5000),
  POSTGRES_15: Number(process.env.FAULTS_FUZZ_PER_PATH ?? 1000),
};
/** Every VALID_EVERY-th input is a valid one that must be recorded. */
const VALID_EVERY = 10;

const ACTIONS = [
  'install',
  'upgrade',
  'test',
  'rollback',
  'uninstall',
  'reconcile',
  'drift',
  'progress',
  'other',
];
const OUTCOMES = ['succeeded', 'failed', 'progressing', 'info'];
const SOURCES = ['event', 'events.k8s.io', 'webhook', 'status'];
const K8S_NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

const T0 = Date.parse('2026-01-01T00:00:00Z');
const at = (i: number) => new Date(T0 + i * 1000).toISOString();

/** A linear nesting `depth` deep (no shared references, so it serialises). */
function nested(depth: number): unknown {
  let v: unknown = { end: true };
  for (let i = 0; i < depth; i++) v = { involvedObject: v };
  return v;
}

/** Hostile values: wrong types, huge and odd strings, deep nesting, unknown reasons. */
function hostile(r: () => number): unknown {
  switch (Math.floor(r() * 22)) {
    case 0:
      return null;
    case 1:
      return Math.floor(r() * 1e9) - 5e8;
    case 2:
      return r() < 0.5;
    case 3:
      return [];
    case 4:
      return {};
    case 5:
      return 'x'.repeat(r() < 0.1 ? 100_000 : Math.floor(r() * 2000));
    case 6:
      return nested(200 + Math.floor(r() * 800));
    case 7:
      return '2024-02-30T25:61:00Z';
    case 8:
      return 'NoSuchReason';
    case 9:
      return 'R'.repeat(129 + Math.floor(r() * 127)); // a reason too long for a name
    case 10:
      return `9.${'9'.repeat(250 + Math.floor(r() * 250))}`; // a "version" too long
    case 11:
      return `bad\u0000nul`;
    case 12:
      return `lone \ud800 surrogate \udfff`;
    case 13:
      return '\u202e\u0301\ufeff漢字🚀';
    case 14:
      return [
        '__proto__',
        'constructor',
        'HelmRelease',
        'Kustomization',
        'info',
        'error',
      ][Math.floor(r() * 6)];
    case 15:
      return `Helm upgrade succeeded for release fuzz/podinfo.v${Math.floor(
        r() * 1e12,
      )} with chart podinfo@${'1.'.repeat(Math.floor(r() * 300))}0`;
    case 16:
      return 'u'.repeat(65 + Math.floor(r() * 63)); // a uid too long for its column
    case 17:
      return { 'helm.toolkit.fluxcd.io/revision': hostile(r) };
    case 18:
      return -1;
    case 19:
      return 1e308;
    case 20:
      return '';
    default:
      return [1, 'two', { three: 3 }];
  }
}

/** All [parent, key] pairs of a JSON value, to pick mutation sites from. */
function sites(
  v: unknown,
  out: Array<[Record<string, unknown>, string]> = [],
  depth = 0,
): Array<[Record<string, unknown>, string]> {
  if (depth > 6 || typeof v !== 'object' || v === null) return out;
  for (const k of Object.keys(v)) {
    out.push([v as Record<string, unknown>, k]);
    sites((v as Record<string, unknown>)[k], out, depth + 1);
  }
  return out;
}

function mutate<T>(seed: T, r: () => number): T {
  const v = JSON.parse(JSON.stringify(seed));
  const n = 1 + Math.floor(r() * 4);
  for (let i = 0; i < n; i++) {
    const all = sites(v);
    if (!all.length) break;
    const [parent, key] = all[Math.floor(r() * all.length)];
    if (r() < 0.25) delete parent[key];
    else parent[key] = hostile(r);
  }
  return v;
}

const helmMessage = (ns: string, name: string, i: number, version: string) =>
  `Helm upgrade succeeded for release ${ns}/${name}.v${i} with chart ${name}@${version}`;

/**
 * The HelmRelease an input is about. Inputs are spread over a few dozen
 * objects with a handful of versions each, as in a real fleet (one object
 * with thousands of versions would only measure that object's history).
 */
const appName = (i: number) =>
  i % VALID_EVERY === 0 ? `valid-${i % 32}` : `app-${i % 64}`;
const junkVersion = (i: number) => `1.1.${i % 3}`;

/** A core/v1 Event helm-controller writes. */
function coreEvent(i: number, version: string, reason = 'UpgradeSucceeded') {
  const name = appName(i);
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name: `podinfo.fuzz-${i}`,
      namespace: 'fuzz',
      annotations: {
        'helm.toolkit.fluxcd.io/revision': version,
        'helm.toolkit.fluxcd.io/token': 'sha256:abc',
        'helm.toolkit.fluxcd.io/app-version': version,
      },
    },
    involvedObject: {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      namespace: 'fuzz',
      name,
      uid: `11111111-2222-4333-8444-${String(i % 64).padStart(12, '0')}`,
    },
    reason,
    message: helmMessage('fuzz', name, i, version),
    type: 'Normal',
    count: 1,
    firstTimestamp: at(i),
    lastTimestamp: at(i),
    source: { component: 'helm-controller' },
    reportingComponent: 'helm-controller',
  };
}

/** A notification-controller webhook body (FLUX.md §4). */
function webhookBody(i: number, version: string) {
  const name = appName(i);
  return {
    involvedObject: {
      kind: 'HelmRelease',
      namespace: 'hook',
      name,
      uid: `66666666-2222-4333-8444-${String(i % 64).padStart(12, '0')}`,
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      resourceVersion: String(1000 + i),
    },
    severity: 'info',
    timestamp: at(i),
    message: helmMessage('hook', name, i, version),
    reason: 'UpgradeSucceeded',
    metadata: { revision: version, 'app-version': version, env: 'dev' },
    reportingController: 'helm-controller',
    reportingInstance: 'helm-controller-7f9c-abcde',
  };
}

/** Raw bodies no JSON parser would take, or barely. */
function junkBody(r: () => number, i: number): Buffer {
  const valid = JSON.stringify(webhookBody(i, `3.0.${i}`));
  switch (Math.floor(r() * 7)) {
    case 0:
      return Buffer.from(valid.slice(0, Math.floor(r() * valid.length)));
    case 1: // invalid UTF-8 inside a string
      return Buffer.concat([
        Buffer.from(valid.slice(0, valid.indexOf('Helm upgrade'))),
        Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]),
        Buffer.from(valid.slice(valid.indexOf('Helm upgrade'))),
      ]);
    case 2:
      return Buffer.from('['.repeat(50_000));
    case 3:
      return Buffer.alloc(0);
    case 4:
      return Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x00, 0x7d]);
    case 5:
      return Buffer.from(JSON.stringify(hostile(r)) ?? 'undefined');
    default:
      return Buffer.from(`${valid}${'x'.repeat(300 * 1024)}`); // over the limit
  }
}

type Row = Record<string, any>;

/** Every stored observation is well formed, whatever came in. */
function expectWellFormed(rows: Row[]) {
  for (const row of rows) {
    const where = `observation ${row.id} (${row.reason})`;
    try {
      expect(['main']).toContain(row.cluster);
      expect(row.namespace).toMatch(K8S_NAME);
      expect(row.name).toMatch(K8S_NAME);
      expect(['HelmRelease', 'Kustomization']).toContain(row.kind);
      expect(ACTIONS).toContain(row.action);
      expect(OUTCOMES).toContain(row.outcome);
      expect(SOURCES).toContain(row.source);
      expect(typeof row.reason).toBe('string');
      expect(row.reason.length).toBeGreaterThan(0);
      expect(typeof row.message).toBe('string');
      expect(row.message.length).toBeLessThanOrEqual(16 * 1024 + 64);
      expect(row.message).not.toContain('\u0000');
      expect(Number.isNaN(new Date(row.observed_at as any).getTime())).toBe(
        false,
      );
      for (const c of ['chart_version', 'app_version', 'uid', 'digest']) {
        expect(row[c] === null || typeof row[c] === 'string').toBe(true);
      }
    } catch (error) {
      throw new Error(`${where}: ${(error as Error).message}`);
    }
  }
}

async function startFuzzBackend(sim: ClusterSim, knex: Knex) {
  const logger = mockServices.logger.mock();
  const backend = await startTestBackend({
    features: [
      fluxPipelinesPlugin,
      logger.factory,
      catalogServiceMock.factory(),
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: {
          kubernetes: {
            clusterLocatorMethods: [
              { type: 'config', clusters: [clusterConfig('main', sim)] },
            ],
          },
          fluxPipelines: {
            clusters: [{ name: 'main', webhookHmacKey: WEBHOOK_KEYS.main }],
            pipelines: [
              {
                namespace: 'flux-system',
                name: 'podinfo',
                appRef: { kind: 'HelmRelease', name: 'podinfo' },
                environments: [
                  { name: 'fuzz', targets: [{ namespace: 'fuzz' }] },
                  { name: 'hook', targets: [{ namespace: 'hook' }] },
                ],
              },
            ],
          },
        },
      }),
    ],
  });
  const warnings = () =>
    logger.warn.mock.calls.map(c => String(c[0])) as string[];
  const errors = () => logger.error.mock.calls.map(c => String(c[0]));
  const { server } = backend;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { server, port, stop: () => backend.stop(), warnings, errors };
}

describe('faults: bad input through both ingest paths', () => {
  let sim: ClusterSim | undefined;
  let stopBackend: (() => Promise<void>) | undefined;

  afterEach(async () => {
    await stopBackend?.();
    await sim?.stop();
    stopBackend = undefined;
    sim = undefined;
  });

  it.each(databases.eachSupportedId())(
    'mutated Events by watch and mutated webhook bodies by HTTP: nothing crashes, bad input is refused or logged once, valid input is all recorded, %p',
    async databaseId => {
      const perPath = PER_PATH[databaseId];
      const knex = await databases.init(databaseId);
      sim = await startSim({
        namespaces: ['fuzz', 'hook'],
        objects: [],
        simulator: false,
      });
      const b = await startFuzzBackend(sim, knex);
      stopBackend = async () => {
        try {
          await expectPagesExact(b.server); // the read model kept up
        } finally {
          await b.stop();
        }
      };
      await eventually(async () => {
        const res = await request(b.server).get('/api/flux-pipelines/health');
        return res.body.clusters?.[0]?.connected;
      });

      // --- the watch path: Events created on the stand-in ---------------
      const r = prng(0xfa17);
      const validVersions: string[] = [];
      const names: string[] = [];
      for (let i = 0; i < perPath; i++) {
        let event: any;
        if (i % VALID_EVERY === 0) {
          const version = `1.0.${i}`;
          validVersions.push(version);
          event = coreEvent(i, version);
        } else {
          event = mutate(coreEvent(i, junkVersion(i)), r);
          // What an API server guarantees of every object it serves.
          event.apiVersion = 'v1';
          event.kind = 'Event';
          event.metadata = {
            ...(typeof event.metadata === 'object' && event.metadata
              ? event.metadata
              : {}),
            name: `podinfo.fuzz-${i}`,
            namespace: 'fuzz',
          };
        }
        sim.store.create(EVENT, event);
        names.push(event.metadata.name);
        if (i % 250 === 0) await new Promise(res => setImmediate(res));
      }
      // The oracle: what the backend should refuse, from the objects as served.
      const served = sim.store.list(EVENT, 'fuzz');
      expect(served).toHaveLength(perPath);
      const refused = served
        .map(e => ({ e, result: normalise(e, { cluster: 'main' }) }))
        .filter(x => !x.result.ok);
      expect(refused.length).toBeGreaterThan(perPath / 10);
      // Refusals by a trust rule (an event from a component that does not own
      // the kind) are warned about once per object; the rest once each.
      const labelOf = ({ e, result }: (typeof refused)[number]) =>
        (!result.ok && result.object) ||
        `${e.metadata.namespace}/${e.metadata.name}`;
      const byRule = refused.filter(x => !x.result.ok && x.result.rule);
      const expectedWarnings =
        refused.length - byRule.length + new Set(byRule.map(labelOf)).size;

      const watchWarnings = () =>
        b.warnings().filter(w => w.startsWith('Skipped a Event from cluster'));
      const recordedValid = async (ns: string, versions: string[]) => {
        const rows = await knex('observations')
          .where({ cluster: 'main', namespace: ns })
          .where('name', 'like', 'valid-%')
          .whereIn('chart_version', versions)
          .select('chart_version');
        return rows.map(x => x.chart_version);
      };
      await eventually(async () => {
        const got = await recordedValid('fuzz', validVersions);
        return (
          got.length >= validVersions.length &&
          watchWarnings().length >= expectedWarnings
        );
      }, 90_000).catch(async error => {
        throw new Error(
          `${error.message}: ${
            (await recordedValid('fuzz', validVersions)).length
          }/${validVersions.length} valid recorded, ${
            watchWarnings().length
          }/${expectedWarnings} warnings`,
        );
      });
      await new Promise(res => setTimeout(res, 500));
      // Each refused Event: one warning naming the object (per object for
      // refusals by a trust rule).
      expect(watchWarnings()).toHaveLength(expectedWarnings);
      const text = watchWarnings().join('\n');
      for (const x of refused) {
        expect(text).toContain(`(${labelOf(x)})`);
      }
      // Every valid Event was recorded, once.
      expect((await recordedValid('fuzz', validVersions)).sort()).toEqual(
        [...validVersions].sort(),
      );

      // --- the HTTP path: webhook bodies -------------------------------
      const h = prng(0xb0d1);
      const hookValid: string[] = [];
      const statuses = new Map<number, number>();
      const failures: string[] = [];
      let refusedBodies = 0;
      let untrustedBodies = 0;
      const post = async (i: number) => {
        let body: Buffer;
        let signature: string | undefined;
        let expectAccepted = false;
        const roll = h();
        if (i % VALID_EVERY === 0) {
          const version = `2.0.${i}`;
          hookValid.push(version);
          body = Buffer.from(JSON.stringify(webhookBody(i, version)));
          expectAccepted = true;
        } else if (roll < 0.15) {
          body = junkBody(h, i);
        } else {
          body = Buffer.from(
            JSON.stringify(mutate(webhookBody(i, junkVersion(i)), h)) ?? 'null',
          );
        }
        const sig = h();
        let expectUnauthorized = false;
        if (!expectAccepted && sig < 0.05) {
          signature = undefined;
          expectUnauthorized = true;
        } else if (!expectAccepted && sig < 0.1) {
          signature = 'sha256=00';
          expectUnauthorized = true;
        } else if (!expectAccepted && sig < 0.13) {
          signature = signWebhook(body.toString('latin1'), WEBHOOK_KEYS.edge);
          expectUnauthorized = true;
        } else {
          signature = signWebhookBytes(body, WEBHOOK_KEYS.main);
        }
        // fetch, not supertest: the body must go out byte for byte.
        const response = await fetch(
          `http://127.0.0.1:${b.port}/api/flux-pipelines/webhook/main`,
          {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'gotk-component': 'helm-controller',
              ...(signature ? { 'x-signature': signature } : {}),
            },
            body: body,
          },
        );
        const answer = await response.text();
        let json: any;
        try {
          json = JSON.parse(answer);
        } catch {
          json = undefined;
        }
        const res = { status: response.status, body: json };
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const describeIt = () =>
          `#${i}: ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`;
        if (expectAccepted) {
          if (res.status !== 202 || res.body.recorded !== 1)
            failures.push(`valid ${describeIt()}`);
        } else if (expectUnauthorized) {
          // (a body over the size limit is refused before it is read)
          if (res.status !== 401 && res.status !== 413)
            failures.push(`unsigned ${describeIt()}`);
        } else if (
          res.status >= 500 ||
          (res.status !== 202 && res.status < 400)
        ) {
          failures.push(describeIt());
        }
        if (res.status >= 400) {
          const message = res.body?.error?.message;
          if (typeof message !== 'string' || !message)
            failures.push(`no message ${describeIt()}`);
          if (res.status === 400 && message?.startsWith('Not a Flux event'))
            refusedBodies += 1;
          if (res.status === 400 && message?.startsWith('Not evidence'))
            untrustedBodies += 1;
        }
      };
      const queue = Array.from({ length: perPath }, (_, i) => i);
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
            await post(i);
          }
        }),
      );
      expect(failures.slice(0, 20)).toEqual([]);
      expect(statuses.get(202)).toBeGreaterThanOrEqual(perPath / VALID_EVERY);
      expect(statuses.get(400)).toBeGreaterThan(0);
      expect(statuses.get(401)).toBeGreaterThan(0);
      expect(statuses.get(413)).toBeGreaterThan(0);
      // One warning per signed body that was refused as not a Flux event;
      // at most one per refusal by a trust rule (once per object).
      const hookWarnings = b
        .warnings()
        .filter(w => w.startsWith('Refused a webhook event'));
      const ruleWarnings = hookWarnings.filter(w =>
        w.includes('refused by fluxPipelines.evidence.controllers'),
      );
      expect(hookWarnings.length - ruleWarnings.length).toBe(refusedBodies);
      expect(ruleWarnings.length).toBeLessThanOrEqual(untrustedBodies);
      expect((await recordedValid('hook', hookValid)).sort()).toEqual(
        [...hookValid].sort(),
      );

      // --- what was stored ------------------------------------------------
      expect(b.errors()).toEqual([]);
      // No write failed on the way (the watcher reports those as skipped objects).
      expect(b.warnings().filter(w => /^Skipped Event /.test(w))).toEqual([]);
      expectWellFormed(await knex('observations').select());
      for (const d of await knex('deployments').select()) {
        expect(d.namespace).toMatch(K8S_NAME);
        expect(d.name).toMatch(K8S_NAME);
        expect(typeof d.chart_version).toBe('string');
        expect(d.chart_version.length).toBeGreaterThan(0);
      }
      // The API still answers, with the valid versions.
      const pipeline = await request(b.server)
        .get('/api/flux-pipelines/pipelines/flux-system/podinfo')
        .set('Authorization', mockCredentials.user.header());
      expect(pipeline.status).toBe(200);
      const health = await request(b.server).get('/api/flux-pipelines/health');
      expect(health.body.clusters[0]).toMatchObject({
        name: 'main',
        connected: true,
      });
    },
  );
});

/** The X-Signature of the exact bytes (invalid UTF-8 included). */
function signWebhookBytes(body: Buffer, key: string): string {
  return `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
}
