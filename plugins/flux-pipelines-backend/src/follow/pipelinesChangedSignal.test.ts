import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { ClusterSim, RESOURCE_TYPES } from '@internal/cluster-sim';
import { linkedEntity } from '../__testUtils__/catalogEntities';
import { createTestDatabases } from '../__testUtils__/databases';
import { userGet } from '../__testUtils__/leaks';
import { fluxPipelinesPlugin } from '../plugin';
import {
  deletePipeline,
  startPipelineSim,
  wgePipelineIn,
} from '../security/__testUtils__/pipelineSourcesHelpers';
import {
  clusterConfig,
  eventually,
  pipelineSources,
} from './scenarios/__testUtils__/scenarioHelpers';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const PIPELINE = RESOURCE_TYPES.find(t => t.kind === 'Pipeline')!;
const ENTITY_REF = 'component:default/podinfo';

/**
 * An entity page that found no pipeline reloads on the signals channel; the
 * backend says there when a cluster's Pipeline objects add, change or remove
 * a pipeline (and not for objects it ignores).
 */
describe('pipelines-changed signal', () => {
  let sim: ClusterSim | undefined;
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
    await sim?.stop();
    stop = undefined;
    sim = undefined;
  });

  it.each(databases.eachSupportedId())(
    'is published when a trusted Pipeline appears, changes or goes, never for an ignored one, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      sim = await startPipelineSim();
      const publish = jest.fn(async (_signal: any) => undefined);
      const backend = await startTestBackend({
        features: [
          fluxPipelinesPlugin,
          createServiceFactory({
            service: signalsServiceRef,
            deps: {},
            factory: () => ({ publish }),
          }),
          catalogServiceMock.factory({ entities: [linkedEntity('podinfo')] }),
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              kubernetes: {
                clusterLocatorMethods: [
                  { type: 'config', clusters: [clusterConfig('main', sim)] },
                ],
              },
              fluxPipelines: { pipelineSources: pipelineSources('main') },
            },
          }),
        ],
      });
      stop = () => backend.stop();
      const get = userGet(backend.server, []);
      const announced = () =>
        publish.mock.calls
          .map(([signal]) => signal.message)
          .filter(m => m.type === 'pipelines-changed');
      const entityPage = async () =>
        (await get(`/pipelines?entityRef=${ENTITY_REF}`)).body.items as Array<{
          environments: Array<{ name: string }>;
        }>;

      await eventually(async () => (await get('/health')).status === 200);
      expect(await entityPage()).toEqual([]);

      // A tenant's Pipeline outside the trusted namespace: ignored, no signal.
      sim.store.create(PIPELINE, wgePipelineIn('dev', 'podinfo', ['dev']));
      await eventually(async () =>
        (await get('/health')).body.clusters?.[0]?.ignoredPipelineCount === 1
          ? true
          : undefined,
      );
      expect(announced()).toEqual([]);

      // The platform team's Pipeline: announced, then on the entity page.
      sim.store.create(
        PIPELINE,
        wgePipelineIn('flux-system', 'podinfo', ['dev', 'test']),
      );
      await eventually(async () => announced().length === 1);
      expect(announced()[0]).toEqual({
        type: 'pipelines-changed',
        pipelines: [{ namespace: 'flux-system', name: 'podinfo' }],
      });
      // The signal is sent once the pipeline is readable.
      expect((await entityPage()).map(p => p.environments.length)).toEqual([2]);

      // A change to it is announced; deleting it too.
      sim.store.update(
        PIPELINE,
        wgePipelineIn('flux-system', 'podinfo', ['dev', 'test', 'prod']),
        { force: true },
      );
      await eventually(async () => announced().length === 2);
      expect((await entityPage())[0].environments).toHaveLength(3);
      deletePipeline(sim, 'flux-system', 'podinfo');
      await eventually(async () => announced().length === 3);
      expect(await entityPage()).toEqual([]);
    },
  );
});
