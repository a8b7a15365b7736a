import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import { TargetDeployment } from '@flux-pipelines/plugin-flux-pipelines-common';
import { linkedEntity } from '../__testUtils__/catalogEntities';
import { createTestDatabases } from '../__testUtils__/databases';
import { DatabaseAppLabelStore } from '../database/DatabaseAppLabelStore';
import { DatabasePipelineStore } from '../database/DatabasePipelineStore';
import { migrateDatabase } from '../database/migrateDatabase';
import { podinfoPipeline } from '../promotion/__testUtils__/fixtures';
import { LinkedEntities } from '../service/linkedEntities';
import { DatabaseNotificationClaims } from './DatabaseNotificationClaims';
import { PipelineNotifier } from './PipelineNotifier';

const databases = createTestDatabases();
const NOW = new Date('2026-12-07T10:00:00.000Z');

const failure = (
  updatedAt: string,
  chartVersion = '6.6.0',
): TargetDeployment => ({
  cluster: 'main',
  namespace: 'prod',
  kind: 'HelmRelease',
  name: 'podinfo',
  chartVersion,
  status: 'failed',
  message: 'Helm upgrade failed',
  updatedAt,
});

/**
 * The notifier over the real claims, pipeline store and linked entities; the
 * notifications backend replaced by a recorder that can be made to fail.
 */
async function setup(linked = true) {
  const knex = await migrateDatabase(
    mockServices.database({ knex: await databases.init('SQLITE_3') }),
  );
  const pipelines = new DatabasePipelineStore(knex);
  await pipelines.replacePipelines('config', [
    { ...podinfoPipeline, source: 'config' },
  ]);
  const sent: NotificationSendOptions[] = [];
  let down = false;
  const logger = mockServices.logger.mock();
  const notifier = PipelineNotifier.create({
    notifications: {
      send: async options => {
        if (down) throw new Error('notifications backend unavailable');
        sent.push(options);
      },
    },
    claims: new DatabaseNotificationClaims(knex),
    linkedEntities: LinkedEntities.create({
      catalog: catalogServiceMock({
        entities: linked ? [linkedEntity('podinfo')] : [],
      }),
      auth: mockServices.auth(),
      appLabels: new DatabaseAppLabelStore(knex),
    }),
    pipelines,
    approvers: ['group:default/release-managers'],
    logger,
    now: () => NOW,
  });
  return { notifier, sent, logger, setDown: (v: boolean) => (down = v) };
}

describe('PipelineNotifier', () => {
  it('tells of a failure seen now, to the owners, with the link to the tab', async () => {
    const { notifier, sent } = await setup();
    notifier.deploymentsChanged([failure('2026-12-07T09:59:00.000Z')]);
    await notifier.idle();
    expect(sent).toHaveLength(1);
    expect(sent[0].recipients).toEqual({
      type: 'entity',
      entityRef: ['component:default/podinfo'],
    });
    expect(sent[0].payload).toMatchObject({
      title: 'podinfo 6.6.0 failed in prod',
      link: '/catalog/default/component/podinfo/flux-pipelines',
    });
  });

  it('does not tell of failures older than an hour, found when a cluster is listed after downtime', async () => {
    const { notifier, sent } = await setup();
    notifier.deploymentsChanged([failure('2026-12-07T08:59:00.000Z')]);
    await notifier.idle();
    expect(sent).toEqual([]);
  });

  it('sends a state again on its next repeat when the notifications backend was down', async () => {
    const { notifier, sent, logger, setDown } = await setup();
    const d = failure('2026-12-07T09:59:00.000Z');
    setDown(true);
    notifier.deploymentsChanged([d]);
    await notifier.idle();
    expect(logger.warn).toHaveBeenCalled();
    setDown(false);
    notifier.deploymentsChanged([d]);
    notifier.deploymentsChanged([d]);
    await notifier.idle();
    expect(sent).toHaveLength(1);
  });

  it('sends an approval to the approvers alone when no entity links the pipeline', async () => {
    const { notifier, sent } = await setup(false);
    notifier.promotionChanged({
      id: 'p1',
      pipelineNamespace: 'flux-system',
      pipelineName: 'podinfo',
      environment: 'prod',
      version: '6.6.0',
      trigger: 'manual',
      strategy: 'commit',
      state: 'waiting-approval',
      requestedBy: 'user:default/ada',
      requestedAt: NOW.toISOString(),
      updatedAt: NOW.toISOString(),
    });
    notifier.deploymentsChanged([failure('2026-12-07T09:59:00.000Z')]);
    await notifier.idle();
    expect(sent).toHaveLength(1);
    expect(sent[0].recipients).toEqual({
      type: 'entity',
      entityRef: ['group:default/release-managers'],
    });
    expect(sent[0].payload.link).toBe('/flux-pipelines');
  });
});
