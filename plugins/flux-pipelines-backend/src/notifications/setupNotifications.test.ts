import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { createTestDatabases } from '../__testUtils__/databases';
import { DatabaseAppLabelStore } from '../database/DatabaseAppLabelStore';
import { DatabasePipelineStore } from '../database/DatabasePipelineStore';
import { migrateDatabase } from '../database/migrateDatabase';
import { PipelineNotifier } from './PipelineNotifier';
import { setupNotifications } from './setupNotifications';

const databases = createTestDatabases();

describe('setupNotifications', () => {
  async function setup(installed: string[], notifications?: object) {
    const knex = await migrateDatabase(
      mockServices.database({ knex: await databases.init('SQLITE_3') }),
    );
    const logger = mockServices.logger.mock();
    const send = jest.fn<ReturnType<NotificationService['send']>, any>();
    const hooks = await setupNotifications({
      config: mockServices.rootConfig({
        data: notifications ? { fluxPipelines: { notifications } } : {},
      }),
      logger,
      knex,
      pipelines: new DatabasePipelineStore(knex),
      appLabels: new DatabaseAppLabelStore(knex),
      catalog: catalogServiceMock(),
      auth: mockServices.auth(),
      notifications: { send },
      instanceMetadata: {
        getInstalledPlugins: async () =>
          installed.map(pluginId => ({ pluginId, modules: [] })),
      },
    });
    return { hooks, logger };
  }

  it('is off, saying so in one info line, when this backend has no notifications plugin', async () => {
    const { hooks, logger } = await setup(['flux-pipelines']);
    expect(hooks).not.toBeInstanceOf(PipelineNotifier);
    expect(logger.info).toHaveBeenCalledTimes(1);
    expect(logger.info.mock.calls[0][0]).toMatch(
      /^Notifications are off: this backend has no notifications plugin/,
    );
  });

  it('is on with the notifications plugin, or when enabled for one in another backend, and off when disabled', async () => {
    expect((await setup(['notifications'])).hooks).toBeInstanceOf(
      PipelineNotifier,
    );
    expect((await setup([], { enabled: true })).hooks).toBeInstanceOf(
      PipelineNotifier,
    );
    const off = await setup(['notifications'], { enabled: false });
    expect(off.hooks).not.toBeInstanceOf(PipelineNotifier);
    expect(off.logger.info).toHaveBeenCalledWith(
      'Notifications are off: fluxPipelines.notifications.enabled is false',
    );
  });

  it('refuses an approver that is not a user or a group, naming the key', async () => {
    await expect(
      setup(['notifications'], { approvers: ['component:default/podinfo'] }),
    ).rejects.toThrow(
      "fluxPipelines.notifications.approvers: 'component:default/podinfo' is not a user: or group: entity ref",
    );
  });
});
