import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  EnvironmentInsights,
  InsightsResponse,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import request from 'supertest';
import { linkedEntity } from '../__testUtils__/catalogEntities';
import { createTestDatabases } from '../__testUtils__/databases';
import { webhookClusters } from '../__testUtils__/webhooks';
import { DatabaseDeploymentStore } from '../database/DatabaseDeploymentStore';
import { fluxPipelinesPlugin } from '../plugin';
import {
  GENERATED_PERIOD,
  generatedHistory,
  generatedPipeline,
} from './__testUtils__/generatedHistory';
import { naiveFigures } from './__testUtils__/naiveFigures';

const databases = createTestDatabases();
const TEAM = 4;
const pipelines = Array.from({ length: TEAM }, (_, i) => generatedPipeline(i));
const entities: Entity[] = pipelines.map(p => ({
  ...linkedEntity(p.name),
  relations: [{ type: 'ownedBy', targetRef: 'group:default/team-a' }],
}));
const { deployments, promotions } = generatedHistory(TEAM);

/** The fields of the API's figures that the naive computation has. */
function computed(e: EnvironmentInsights) {
  const days = e.deploymentFrequency.series.filter(d => d.count);
  return {
    environment: e.environment,
    deploymentFrequency: {
      n: e.deploymentFrequency.n,
      days: Object.fromEntries(days.map(d => [d.date, d.count])),
    },
    leadTime: {
      n: e.leadTime.n,
      medianMs: e.leadTime.medianMs,
      p90Ms: e.leadTime.p90Ms,
      skippedFirstEnvironment: e.leadTime.skippedFirstEnvironment,
    },
    changeFailureRate: {
      n: e.changeFailureRate.n,
      failed: e.changeFailureRate.failed,
    },
    timeToRestore: {
      n: e.timeToRestore.n,
      medianMs: e.timeToRestore.medianMs,
    },
    deploymentDuration: {
      n: e.deploymentDuration.n,
      medianMs: e.deploymentDuration.medianMs,
      p90Ms: e.deploymentDuration.p90Ms,
      slowestTargets: e.deploymentDuration.slowestTargets,
    },
    promotionTime: (({ n, medianMs, p90Ms }) => ({ n, medianMs, p90Ms }))(
      e.promotionTime,
    ),
    hopTime: (({ n, medianMs, p90Ms, waiting, deploying }) => ({
      n,
      medianMs,
      p90Ms,
      waiting,
      deploying,
    }))(e.hopTime),
    unconfirmed: e.unconfirmed,
  };
}

describe.each(databases.eachSupportedId())(
  'GET /insights against the naive computation on %s',
  id => {
    let backend: Awaited<ReturnType<typeof startTestBackend>>;

    beforeAll(async () => {
      const knex = await databases.init(id);
      const config = {
        fluxPipelines: { clusters: webhookClusters, pipelines },
      };
      backend = await startTestBackend({
        features: [
          fluxPipelinesPlugin,
          catalogServiceMock.factory({ entities }),
          mockServices.rootConfig.factory({ data: config }),
          mockServices.database.factory({ knex }),
        ],
      });
      await new DatabaseDeploymentStore(knex).save(deployments);
      await knex.batchInsert('promotions', promotions, 200);
    });

    afterAll(() => backend.stop());

    const get = async (scope: string) => {
      const { from, to } = GENERATED_PERIOD;
      const res = await request(backend.server)
        .get(
          `/api/flux-pipelines/insights?${scope}&from=${from.toISOString()}&to=${to.toISOString()}`,
        )
        .set('Authorization', mockCredentials.user.header());
      expect(res.status).toBe(200);
      return res.body as InsightsResponse;
    };
    const naive = pipelines.map(p =>
      naiveFigures(deployments, promotions, p, GENERATED_PERIOD),
    );

    it("gives a team's figures, every pipeline's environments in one request, as the domain rules do one row at a time", async () => {
      const body = await get('owner=team-a');
      expect(body.pipelines.map(p => p.name)).toEqual(
        pipelines.map(p => p.name),
      );
      body.pipelines.forEach((p, i) =>
        expect(p.environments.map(computed)).toEqual(naive[i]),
      );
      // The history exercises every rule.
      const all = naive.flat();
      const sum = (pick: (e: (typeof all)[number]) => number) =>
        all.reduce((n, e) => n + pick(e), 0);
      expect(sum(e => e.leadTime.skippedFirstEnvironment)).toBeGreaterThan(0);
      expect(sum(e => e.timeToRestore.n)).toBeGreaterThan(0);
      expect(sum(e => e.promotionTime.n)).toBeGreaterThan(0);
      expect(sum(e => e.hopTime.n)).toBeGreaterThan(0);
      expect(sum(e => e.unconfirmed)).toBeGreaterThan(0);
    });

    it("gives one entity's figures as the team's request does, and one environment as all do", async () => {
      const one = await get('entityRef=component:default/app-0');
      expect(one.pipelines[0].environments.map(computed)).toEqual(naive[0]);
      const prod = await get('owner=team-a&environment=prod');
      prod.pipelines.forEach((p, i) =>
        expect(p.environments.map(computed)).toEqual([naive[i][2]]),
      );
    });
  },
);
