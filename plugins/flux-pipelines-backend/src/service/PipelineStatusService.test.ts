import { mockServices } from '@backstage/backend-test-utils';
import {
  Pipeline,
  TargetDeployment,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { DatabaseDeploymentStore } from '../database/DatabaseDeploymentStore';
import { WORKING_SET_RECENT } from '../database/DeploymentStore';
import { migrateDatabase } from '../database/migrateDatabase';
import { PipelineStatusService } from './PipelineStatusService';

const databases = createTestDatabases();

const pipeline: Pipeline = {
  namespace: 'flux-system',
  name: 'podinfo',
  appRef: {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    name: 'podinfo',
  },
  environments: ['dev', 'test', 'prod'].map(name => ({
    name,
    targets: [{ cluster: 'main', namespace: name }],
  })),
  source: 'config',
};

function deployed(
  namespace: string,
  chartVersion: string,
  minute: number,
  status: TargetDeployment['status'] = 'succeeded',
): TargetDeployment {
  const at = new Date(Date.UTC(2026, 11, 1, 8, minute)).toISOString();
  return {
    cluster: 'main',
    namespace,
    kind: 'HelmRelease',
    name: 'podinfo',
    chartVersion,
    status,
    startedAt: at,
    finishedAt: at,
    updatedAt: at,
  };
}

describe.each(databases.eachSupportedId())(
  'PipelineStatusService on %s',
  id => {
    it('does not call a version that passed through dev long ago "skipped dev" after dev deployed many newer ones', async () => {
      const knex = await databases.init(id);
      const deployments = new DatabaseDeploymentStore(
        await migrateDatabase(mockServices.database({ knex })),
      );
      // dev ran 1.0.0, then many more versions than a working set holds.
      const newer = Array.from(
        { length: WORKING_SET_RECENT + 5 },
        (_, i) => `1.0.${i + 1}`,
      );
      await deployments.save([
        deployed('dev', '1.0.0', 0, 'superseded'),
        ...newer.map((v, i) =>
          deployed(
            'dev',
            v,
            i + 1,
            i === newer.length - 1 ? 'succeeded' : 'superseded',
          ),
        ),
        deployed('test', '1.0.0', 1),
        deployed('prod', '1.0.0', 2),
      ]);

      const [described] = await new PipelineStatusService(deployments).describe(
        [pipeline],
      );
      const [dev, test, prod] = described.environments;
      expect(dev.running).toBe(newer[newer.length - 1]);
      expect(test.running).toBe('1.0.0');
      expect(test.skipped).toBeUndefined();
      expect(prod.skipped).toBeUndefined();
      expect(test.relation).toMatchObject({
        upstream: 'dev',
        position: 'behind',
      });
    });

    it('still flags a version that never ran in dev, however old', async () => {
      const knex = await databases.init(id);
      const deployments = new DatabaseDeploymentStore(
        await migrateDatabase(mockServices.database({ knex })),
      );
      await deployments.save([
        deployed('dev', '1.0.0', 0),
        deployed('test', '0.9.0', 1),
      ]);
      const [described] = await new PipelineStatusService(deployments).describe(
        [pipeline],
      );
      expect(described.environments[1].skipped).toEqual(['dev']);
    });

    it('says since when an environment fails: the oldest of the failures in a row there, passing over versions that never came there', async () => {
      const knex = await databases.init(id);
      const deployments = new DatabaseDeploymentStore(
        await migrateDatabase(mockServices.database({ knex })),
      );
      await deployments.save([
        deployed('dev', '6.1.0', 0, 'superseded'),
        deployed('test', '6.1.0', 1),
        deployed('dev', '6.1.5', 2, 'superseded'),
        deployed('test', '6.1.5', 3, 'failed'),
        // 6.2.0 failed in dev and never came to test: passed over.
        deployed('dev', '6.2.0', 4, 'failed'),
        deployed('dev', '6.3.0', 5, 'superseded'),
        deployed('test', '6.3.0', 6, 'failed'),
        deployed('dev', '6.4.0', 7),
        deployed('test', '6.4.0', 8, 'failed'),
      ]);
      const [described] = await new PipelineStatusService(deployments).describe(
        [pipeline],
      );
      const [dev, test, prod] = described.environments;
      // 6.1.5, 6.3.0 and 6.4.0 failed in test one after another since 6.1.0.
      expect(test.failingSince).toBe(deployed('test', '6.1.5', 3).finishedAt);
      expect(dev.failingSince).toBeUndefined();
      expect(prod.failingSince).toBeUndefined();

      // A success there ends the run: the next failure starts a new one.
      await deployments.save([
        deployed('test', '6.4.0', 8, 'superseded'),
        deployed('dev', '6.5.0', 9),
        deployed('test', '6.5.0', 10),
        deployed('dev', '6.6.0', 11),
        deployed('test', '6.6.0', 12, 'failed'),
      ]);
      const [again] = await new PipelineStatusService(deployments).describe([
        pipeline,
      ]);
      expect(again.environments[1].failingSince).toBe(
        deployed('test', '6.6.0', 12).finishedAt,
      );
    });
  },
);
