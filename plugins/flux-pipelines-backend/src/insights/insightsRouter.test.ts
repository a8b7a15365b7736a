import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  CatalogService,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { InsightsResponse } from '@flux-pipelines/plugin-flux-pipelines-common';
import request from 'supertest';
import { linkedEntity } from '../__testUtils__/catalogEntities';
import { createTestDatabases } from '../__testUtils__/databases';
import { webhookClusters } from '../__testUtils__/webhooks';
import { fluxPipelinesPlugin } from '../plugin';
import {
  H,
  pipelineConfig,
  seedScenario,
} from './__testUtils__/insightsScenario';

const databases = createTestDatabases();

/** A component of team-a in system shop, linked to `pipeline`. */
const component = (name: string, pipeline: string): Entity => {
  const entity = linkedEntity(name, pipeline);
  return {
    ...entity,
    spec: { ...entity.spec, system: 'shop' },
    relations: [
      { type: 'ownedBy', targetRef: 'group:default/team-a' },
      { type: 'partOf', targetRef: 'system:default/shop' },
    ],
  };
};

const entities = [
  component('podinfo', 'flux-system/podinfo'),
  // Only services may see it: the catalog hides it from signed-in users.
  component('vault', 'flux-system/vault'),
];

/** The catalog as a permission policy would make it: users do not see `vault`. */
const catalogWithHiddenEntity = createServiceFactory({
  service: catalogServiceRef,
  deps: {},
  factory: () => {
    const all = catalogServiceMock({ entities });
    const seen = catalogServiceMock({
      entities: entities.filter(e => e.metadata.name !== 'vault'),
    });
    return new Proxy(all, {
      get: (target, method: keyof CatalogService) => {
        if (typeof target[method] !== 'function') return target[method];
        return (...args: any[]) => {
          const options = args[args.length - 1];
          const catalog =
            options?.credentials?.principal?.type === 'user' ? seen : all;
          return (catalog[method] as Function)(...args);
        };
      },
    });
  },
});

describe.each(databases.eachSupportedId())('GET /insights on %s', id => {
  let server: any;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const knex = await databases.init(id);
    const backend = await startTestBackend({
      features: [
        fluxPipelinesPlugin,
        mockServices.database.factory({ knex }),
        catalogWithHiddenEntity,
        mockServices.rootConfig.factory({
          data: {
            fluxPipelines: {
              clusters: webhookClusters,
              pipelines: [
                pipelineConfig,
                {
                  ...pipelineConfig,
                  name: 'vault',
                  appRef: { kind: 'HelmRelease', name: 'vault' },
                },
              ],
            },
          },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
    await seedScenario(knex);
  });

  afterAll(() => stop());

  const get = (query: string, credentials = mockCredentials.user.header()) =>
    request(server)
      .get(`/api/flux-pipelines/insights?${query}`)
      .set('Authorization', credentials);
  const period = 'from=2026-11-01&to=2026-11-15';

  it("gives an entity's figures per environment, each with its count, definition and the deployments behind it", async () => {
    const res = await get(`entityRef=component:default/podinfo&${period}`);
    expect(res.status).toBe(200);
    const body: InsightsResponse = res.body;
    expect(body).toMatchObject({
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-15T00:00:00.000Z',
      entityRefs: ['component:default/podinfo'],
    });
    expect(body.pipelines.map(p => p.name)).toEqual(['podinfo']);
    const [dev, test, prod] = body.pipelines[0].environments;
    expect(dev.deploymentFrequency).toMatchObject({
      n: 3,
      perDay: 3 / 14,
      perWeek: 1.5,
    });
    expect(dev.deploymentFrequency.series).toHaveLength(14);
    expect(
      dev.deploymentFrequency.series.slice(7).every(d => d.count === 0),
    ).toBe(true);
    expect(dev.unconfirmed).toBe(1);
    expect(test.changeFailureRate).toMatchObject({
      n: 3,
      failed: 1,
      rate: 1 / 3,
    });
    expect(test.hopTime).toMatchObject({
      n: 1,
      fromEnvironment: 'dev',
      medianMs: 120.5 * H,
    });
    expect(dev.hopTime).toMatchObject({ n: 0, fromEnvironment: null });
    expect(test.changeFailureRate.deployments).toEqual({
      pipeline: { namespace: 'flux-system', name: 'podinfo' },
      environment: 'test',
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-15T00:00:00.000Z',
      statuses: ['succeeded', 'superseded', 'failed', 'rolled-back'],
      executionsPath: '/pipelines/flux-system/podinfo/executions',
    });
    expect(test.timeToRestore).toMatchObject({ n: 1, medianMs: 1 * H });
    expect(test.leadTime).toMatchObject({ n: 1, skippedFirstEnvironment: 1 });
    expect(prod.promotionTime).toMatchObject({ n: 1, medianMs: 22 * H });
    expect(prod.deploymentDuration.slowestTargets[0]).toMatchObject({
      namespace: 'prod-b',
    });
    for (const figure of [
      prod.leadTime,
      prod.deploymentFrequency,
      prod.timeToRestore,
    ]) {
      expect(figure.definition).toMatch(/\w+/);
    }
  });

  it('links each figure to exactly the deployments it counted: no unconfirmed success, no rollback back to an older version', async () => {
    const res = await get(`entityRef=component:default/podinfo&${period}`);
    const [dev, test] = (res.body as InsightsResponse).pipelines[0]
      .environments;
    // dev has an unconfirmed success, test a rollback: neither counts.
    expect(dev.unconfirmed).toBe(1);
    for (const figure of [
      dev.deploymentFrequency,
      dev.changeFailureRate,
      test.deploymentFrequency,
      test.changeFailureRate,
      test.timeToRestore,
    ]) {
      const q = figure.deployments;
      const listed = await request(server)
        .get(`/api/flux-pipelines${q.executionsPath}`)
        .query({
          environment: q.environment,
          deploymentStatus: q.statuses.join(','),
          from: q.from,
          to: q.to,
          limit: 100,
        })
        .set('Authorization', mockCredentials.user.header());
      expect(listed.status).toBe(200);
      const deployments = listed.body.items.flatMap(
        (e: any) =>
          e.environments.find((env: any) => env.name === q.environment)
            .deployments,
      );
      const counted =
        figure === test.timeToRestore
          ? test.changeFailureRate.failed
          : figure.n;
      expect([q.environment, deployments.length]).toEqual([
        q.environment,
        counted,
      ]);
    }
  });

  it('gives a team only the entities its caller may see in the catalog', async () => {
    const res = await get(`owner=team-a&${period}`);
    expect(res.status).toBe(200);
    expect(res.body.entityRefs).toEqual(['component:default/podinfo']);
    expect(res.body.pipelines.map((p: any) => p.name)).toEqual(['podinfo']);
  });

  it('narrows a system to one environment, and defaults to the last 30 days', async () => {
    const res = await get('system=system:default/shop&environment=prod');
    expect(res.status).toBe(200);
    expect(
      res.body.pipelines[0].environments.map((e: any) => e.environment),
    ).toEqual(['prod']);
    expect(Date.parse(res.body.to) - Date.parse(res.body.from)).toBe(
      30 * 24 * H,
    );
  });

  it('counts the days of the chart in the time zone asked for', async () => {
    const days = async (tz: string) => {
      const res = await get(
        `entityRef=component:default/podinfo&${period}&environment=dev${tz}`,
      );
      expect(res.status).toBe(200);
      const { series } = res.body.pipelines[0].environments[0]
        .deploymentFrequency as InsightsResponse['pipelines'][number]['environments'][number]['deploymentFrequency'];
      return {
        timeZone: res.body.timeZone,
        first: series[0].date,
        last: series[series.length - 1].date,
        counted: series.filter(d => d.count).map(d => [d.date, d.count]),
      };
    };
    // dev's successes at 10:00 on 2 Nov, 09:30 on 3 Nov, 13:00 on 4 Nov (UTC).
    expect(await days('')).toEqual({
      timeZone: 'UTC',
      first: '2026-11-01',
      last: '2026-11-14',
      counted: [
        ['2026-11-02', 1],
        ['2026-11-03', 1],
        ['2026-11-04', 1],
      ],
    });
    // UTC+14: the first two fall on 3 Nov, the third on 5 Nov; the period ends on 15 Nov there.
    expect(await days('&tz=Pacific/Kiritimati')).toEqual({
      timeZone: 'Pacific/Kiritimati',
      first: '2026-11-01',
      last: '2026-11-15',
      counted: [
        ['2026-11-03', 2],
        ['2026-11-05', 1],
      ],
    });
    const res = await get(`owner=team-a&tz=Mars/Olympus_Mons`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/tz: must be an IANA time zone/);
  });

  it('asks for credentials, as the pipelines routes do', async () => {
    const res = await get(
      'entityRef=component:default/podinfo',
      mockCredentials.none.header(),
    );
    expect(res.status).toBe(401);
  });

  it.each([
    [
      'entityRef=component:default/nothing',
      /No entity component:default\/nothing/,
    ],
    ['entityRef=component:default/vault', /No entity component:default\/vault/],
    ['owner=team-x', /No entities with owner group:default\/team-x/],
  ])('is a 404 with a message for %s', async (query, message) => {
    const res = await get(query);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toMatch(message);
  });

  it.each([
    ['', /entityRef: give exactly one of entityRef, owner or system/],
    [
      'entityRef=component:default/podinfo&owner=team-a',
      /owner: give exactly one/,
    ],
    ['entityRef=:', /entityRef: must be an entity reference/],
    ['owner=team-a&from=yesterday', /from: must be an ISO 8601 date/],
    ['owner=team-a&from=2026-13-45', /from: must be a valid date/],
    ['owner=team-a&from=2026-11-15&to=2026-11-01', /from: must be before to/],
    [
      'owner=team-a&from=2025-01-01&to=2026-11-01',
      /to: must be at most 366 days after from/,
    ],
    ['owner=team-a&team=a', /Unrecognized key/],
  ])('is a 400 naming the parameter for ?%s', async (query, message) => {
    const res = await get(query);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
  });
});
