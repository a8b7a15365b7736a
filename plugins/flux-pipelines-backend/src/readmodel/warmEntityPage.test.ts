import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Observation } from '@flux-pipelines/plugin-flux-pipelines-common';
import { ClusterSim } from '@internal/cluster-sim';
import { Knex } from 'knex';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { DeploymentTracker } from '../correlate/DeploymentTracker';
import { DatabasePromotionStore } from '../database/DatabasePromotionStore';
import { DatabaseTargetTransactions } from '../database/DatabaseTargetTransactions';
import {
  ScenarioBackend,
  clusterConfig,
  eventually,
  startBackend,
  startSim,
} from '../follow/scenarios/__testUtils__/scenarioHelpers';
import { recordRequestQueries } from './__testUtils__/requestQueries';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const ENTITY = 'component:default/podinfo';
const PAGE = `/api/flux-pipelines/pipelines?entityRef=${encodeURIComponent(
  ENTITY,
)}`;

describe.each(databases.eachSupportedId())(
  'the entity page from memory on %s',
  databaseId => {
    let sim: ClusterSim | undefined;
    let b: ScenarioBackend | undefined;

    afterEach(async () => {
      await b?.stop();
      await sim?.stop();
      b = sim = undefined;
    });

    async function started(): Promise<{ knex: Knex; b: ScenarioBackend }> {
      const knex = await databases.init(databaseId);
      sim = await startSim({
        namespaces: ['dev', 'test'],
        hr: {
          labels: {
            'backstage.io/kubernetes-id': 'podinfo',
            // applied by a Kustomization, whose history says where a change came from
            'kustomize.toolkit.fluxcd.io/name': 'apps',
            'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
          },
        },
      });
      b = await startBackend({
        knex,
        clusters: [clusterConfig('main', sim)],
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: {
              name: 'podinfo',
              namespace: 'default',
              annotations: { 'backstage.io/kubernetes-id': 'podinfo' },
            },
            spec: {},
          },
        ],
      });
      await eventually(async () => {
        const body = await entityPage();
        return body.items?.[0]?.environments?.every(
          (e: any) => e.targets[0].latest?.status === 'succeeded',
        );
      }, 30_000);
      return { knex, b };
    }

    async function entityPage() {
      const res = await request(b!.server)
        .get(PAGE)
        .set('Authorization', mockCredentials.user.header());
      expect(res.status).toBe(200);
      return res.body;
    }

    it('a warm entity page costs at most one query, a tiny indexed read', async () => {
      const { knex } = await started();
      const recorded = recordRequestQueries(b!.server, knex);
      try {
        // A write in the background between two requests costs the next
        // one more queries; with nothing written, one query is all.
        let sql: string[] = [];
        const end = Date.now() + 30_000;
        do {
          await entityPage();
          await entityPage();
          sql = recorded.queriesOf(PAGE);
        } while (sql.length > 1 && Date.now() < end);
        expect(sql.slice(1)).toEqual([]);
        expect(sql.join('\n')).not.toMatch(/\bdeployments\b|promotion/);
      } finally {
        recorded.stop();
      }
    });

    it("shows another replica's write in the very next request", async () => {
      const { knex } = await started();
      await entityPage(); // warm
      // Another replica (the same database, not this backend) holds test
      // and records a newer deployment in dev.
      await new DatabasePromotionStore(knex).setHold(
        { namespace: 'flux-system', name: 'podinfo' },
        'test',
        {
          version: '6.5.0',
          heldBy: 'user:default/ada',
          heldAt: '2026-12-07T10:00:00.000Z',
        },
      );
      let body = await entityPage();
      expect(body.items[0].environments[1].hold).toMatchObject({
        heldBy: 'user:default/ada',
      });
      const upgraded: Observation = {
        cluster: 'main',
        namespace: 'dev',
        kind: 'HelmRelease',
        name: 'podinfo',
        chartVersion: '6.6.0',
        action: 'upgrade',
        outcome: 'succeeded',
        reason: 'UpgradeSucceeded',
        message: 'UpgradeSucceeded 6.6.0',
        time: new Date().toISOString(),
        source: 'event',
        dedupKey: 'dev-6.6.0-upgrade',
      };
      await new DeploymentTracker({
        transactions: new DatabaseTargetTransactions(knex),
        logger: mockServices.logger.mock(),
      }).ingest([{ observation: upgraded, occurrenceKey: 'other-replica' }]);
      body = await entityPage();
      expect(body.items[0].environments[0].targets[0].latest).toMatchObject({
        chartVersion: '6.6.0',
        status: 'succeeded',
      });
    });
  },
);
