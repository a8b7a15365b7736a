import { ClusterSim } from '@internal/cluster-sim';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  eventually,
  pipelineSources,
} from '../follow/scenarios/__testUtils__/scenarioHelpers';
import {
  deletePipeline,
  startPipelineSim,
  startSourcesBackend,
  wgePipelineIn,
} from './__testUtils__/pipelineSourcesHelpers';

jest.setTimeout(60_000);

const databases = createTestDatabases();
/** The trusted podinfo pipeline of the management cluster. */
const REAL = ['dev', 'test'];
/** What an attacker's Pipeline of the same name asks for: straight to prod. */
const FORGED = ['dev', 'prod'];

describe.each(databases.eachSupportedId())(
  'security: pipeline sources on %s',
  id => {
    const sims: ClusterSim[] = [];
    let stop: (() => Promise<void>) | undefined;

    afterEach(async () => {
      await stop?.();
      stop = undefined;
      await Promise.all(sims.splice(0).map(s => s.stop()));
    });

    async function start(
      clusters: Record<string, ClusterSim>,
      sources: Parameters<typeof startSourcesBackend>[0]['pipelineSources'],
    ) {
      sims.push(...Object.values(clusters));
      const knex = await databases.init(id);
      const backend = await startSourcesBackend({
        knex,
        clusters,
        pipelineSources: sources,
      });
      stop = backend.stop;
      return backend;
    }

    it("a tenant's Pipeline outside the trusted namespace defines nothing and replaces nothing; it is logged once and listed in /health", async () => {
      const main = await startPipelineSim([
        wgePipelineIn('flux-system', 'podinfo', REAL),
        wgePipelineIn('dev', 'podinfo', FORGED),
        wgePipelineIn('dev', 'sneaky', FORGED),
      ]);
      const b = await start({ main }, pipelineSources('main'));

      const health = await eventually(async () => {
        const h = await b.clusterHealth('main');
        return h?.ignoredPipelineCount === 2 ? h : undefined;
      });
      expect(health.ignoredPipelines).toEqual([
        expect.objectContaining({
          namespace: 'dev',
          name: 'podinfo',
          reason: 'not-a-pipeline-source',
          message: expect.stringContaining('fluxPipelines.pipelineSources'),
        }),
        expect.objectContaining({ namespace: 'dev', name: 'sneaky' }),
      ]);
      expect(await b.environmentsOf('flux-system', 'podinfo')).toEqual(REAL);
      expect(await b.environmentsOf('dev', 'podinfo')).toBeUndefined();
      expect(await b.environmentsOf('dev', 'sneaky')).toBeUndefined();

      // The tenant keeps changing its Pipeline, and the watch restarts (a
      // relist): still one log line each.
      for (const env of ['qa', 'staging', 'prod']) {
        main.apply([wgePipelineIn('dev', 'sneaky', ['dev', env])]);
      }
      main.faults.restart();
      main.apply([wgePipelineIn('flux-system', 'marker', REAL)]);
      await eventually(() => b.environmentsOf('flux-system', 'marker'));
      expect(b.ignoredLines('main', 'dev', 'podinfo')).toHaveLength(1);
      expect(b.ignoredLines('main', 'dev', 'sneaky')).toHaveLength(1);
      expect(b.ignoredLines('main', 'dev', 'sneaky')[0]).toContain(
        'refused by fluxPipelines.pipelineSources',
      );

      // Deleted, it is no longer listed.
      deletePipeline(main, 'dev', 'sneaky');
      await eventually(
        async () => (await b.clusterHealth('main'))?.ignoredPipelineCount === 1,
      );
      expect(await b.environmentsOf('flux-system', 'podinfo')).toEqual(REAL);
    });

    it("a Pipeline on a cluster that is no source neither replaces nor deletes main's pipeline, and a new name from it is not read", async () => {
      const main = await startPipelineSim([
        wgePipelineIn('flux-system', 'podinfo', REAL),
      ]);
      const prodEu = await startPipelineSim([
        wgePipelineIn('flux-system', 'podinfo', FORGED),
        wgePipelineIn('flux-system', 'prod-only', FORGED),
      ]);
      const b = await start(
        { main, 'prod-eu': prodEu },
        pipelineSources('main'),
      );
      await eventually(() => b.environmentsOf('flux-system', 'podinfo'));
      await eventually(
        async () => (await b.clusterHealth('prod-eu'))?.connected,
      );
      await new Promise(r => setTimeout(r, 1500));
      expect(await b.environmentsOf('flux-system', 'podinfo')).toEqual(REAL);
      expect(
        await b.environmentsOf('flux-system', 'prod-only'),
      ).toBeUndefined();

      deletePipeline(prodEu, 'flux-system', 'podinfo');
      await new Promise(r => setTimeout(r, 1500));
      expect(await b.environmentsOf('flux-system', 'podinfo')).toEqual(REAL);
    });

    it("with two trusted clusters, the second one's Pipeline of the same name neither replaces nor deletes the first one's, and is reported as a conflict", async () => {
      const main = await startPipelineSim([
        wgePipelineIn('flux-system', 'podinfo', REAL),
      ]);
      const prodEu = await startPipelineSim([
        wgePipelineIn('flux-system', 'edge', ['prod']),
      ]);
      const b = await start(
        { main, 'prod-eu': prodEu },
        pipelineSources('main', 'prod-eu'),
      );
      // prod-eu is a source: its own pipeline is read.
      await eventually(() => b.environmentsOf('flux-system', 'edge'));
      await eventually(() => b.environmentsOf('flux-system', 'podinfo'));

      prodEu.apply([wgePipelineIn('flux-system', 'podinfo', FORGED)]);
      const health = await eventually(async () => {
        const h = await b.clusterHealth('prod-eu');
        return h?.ignoredPipelineCount === 1 ? h : undefined;
      });
      expect(health.ignoredPipelines[0]).toMatchObject({
        namespace: 'flux-system',
        name: 'podinfo',
        reason: 'owned-by-another-cluster',
        message: expect.stringContaining('defined by cluster main'),
      });
      expect(b.ignoredLines('prod-eu', 'flux-system', 'podinfo')).toHaveLength(
        1,
      );
      expect(await b.environmentsOf('flux-system', 'podinfo')).toEqual(REAL);

      deletePipeline(prodEu, 'flux-system', 'podinfo');
      await eventually(
        async () => !(await b.clusterHealth('prod-eu'))?.ignoredPipelineCount,
      );
      expect(await b.environmentsOf('flux-system', 'podinfo')).toEqual(REAL);
      expect(await b.environmentsOf('flux-system', 'edge')).toEqual(['prod']);
    });

    it('the source named first wins a name, even when the other stored it first, and keeps it when the other deletes its own', async () => {
      const main = await startPipelineSim();
      const prodEu = await startPipelineSim([
        wgePipelineIn('flux-system', 'podinfo', FORGED),
      ]);
      const b = await start(
        { main, 'prod-eu': prodEu },
        pipelineSources('main', 'prod-eu'),
      );
      await eventually(async () => {
        const envs = await b.environmentsOf('flux-system', 'podinfo');
        return envs?.includes('prod');
      });

      main.apply([wgePipelineIn('flux-system', 'podinfo', REAL)]);
      await eventually(async () => {
        const envs = await b.environmentsOf('flux-system', 'podinfo');
        return envs?.includes('test');
      });
      deletePipeline(prodEu, 'flux-system', 'podinfo');
      await new Promise(r => setTimeout(r, 1500));
      expect(await b.environmentsOf('flux-system', 'podinfo')).toEqual(REAL);
    });

    it('the trusted source still defines pipelines: create, update and delete', async () => {
      const main = await startPipelineSim();
      const b = await start({ main }, pipelineSources('main'));
      await eventually(async () => (await b.clusterHealth('main'))?.connected);

      main.apply([wgePipelineIn('flux-system', 'web', ['dev'])]);
      expect(
        await eventually(() => b.environmentsOf('flux-system', 'web')),
      ).toEqual(['dev']);
      main.apply([wgePipelineIn('flux-system', 'web', REAL)]);
      await eventually(
        async () =>
          (await b.environmentsOf('flux-system', 'web'))?.length === 2,
      );
      deletePipeline(main, 'flux-system', 'web');
      await eventually(
        async () =>
          (await b.environmentsOf('flux-system', 'web')) === undefined,
      );
      expect(
        (await b.clusterHealth('main'))?.ignoredPipelineCount,
      ).toBeUndefined();
    });

    it('without fluxPipelines.pipelineSources no Pipeline object defines a pipeline, and the start says so', async () => {
      const main = await startPipelineSim([
        wgePipelineIn('flux-system', 'podinfo', REAL),
      ]);
      const b = await start({ main }, undefined);
      await eventually(async () => (await b.clusterHealth('main'))?.connected);
      await new Promise(r => setTimeout(r, 1500));
      expect((await b.get('/pipelines')).body.items).toEqual([]);
      expect(b.logger.warn).toHaveBeenCalledWith(
        expect.stringMatching(
          /Pipeline objects in the clusters are ignored: fluxPipelines.pipelineSources/,
        ),
      );
    });
  },
);
