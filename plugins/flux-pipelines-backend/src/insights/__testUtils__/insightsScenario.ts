import {
  Pipeline,
  TargetDeployment,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { Knex } from 'knex';
import { DatabaseDeploymentStore } from '../../database/DatabaseDeploymentStore';

/**
 * Two weeks of a pipeline dev → test → prod (prod on two targets) with known
 * answers: a failure restored 3 h later in dev, a rollback in test (restored
 * by it an hour later, not a deployment of its own) and a hand commit that
 * skipped dev, a version that reached only one
 * prod target, a promotion into prod that waited 22 h for approval, an
 * unconfirmed success, a week (8–14 Nov) with no confirmed deployment at all,
 * and rows outside the period or of another app that must not count.
 */
export const PERIOD = {
  from: new Date('2026-11-01T00:00:00Z'),
  to: new Date('2026-11-15T00:00:00Z'),
};

export const H = 3_600_000;

/** 2026-11-`day` at `hour` UTC. */
export const D = (day: number, hour: number) =>
  new Date(Date.UTC(2026, 10, day) + hour * H).toISOString();

/** A cluster and namespace written `cluster/namespace`. */
const at = (where: string) => {
  const [cluster, namespace] = where.split('/');
  return { cluster, namespace };
};

const environment = (name: string, ...targets: string[]) => ({
  name,
  targets: targets.map(at),
});

export const pipelineConfig = {
  namespace: 'flux-system',
  name: 'podinfo',
  appRef: { kind: 'HelmRelease', name: 'podinfo' },
  environments: [
    environment('dev', 'main/dev'),
    environment('test', 'main/test'),
    environment('prod', 'edge/prod-a', 'edge/prod-b'),
  ],
};

/** The same pipeline as the backend stores it. */
export const pipeline: Pipeline = {
  ...pipelineConfig,
  appRef: { ...pipelineConfig.appRef, apiVersion: 'helm.toolkit.fluxcd.io/v2' },
  source: 'config',
} as Pipeline;

function dep(
  where: string,
  version: string,
  status: TargetDeployment['status'],
  start: string,
  end: string,
  extra: Partial<TargetDeployment> = {},
): TargetDeployment {
  return {
    ...at(where),
    kind: 'HelmRelease',
    name: 'podinfo',
    chartVersion: version,
    status,
    startedAt: start,
    finishedAt: end,
    updatedAt: end,
    ...extra,
  };
}

export const deployments: TargetDeployment[] = [
  // dev: three successes (1 h, 30 min, 1 h), a failure restored 3 h later, an unconfirmed success.
  dep('main/dev', '1.0.0', 'superseded', D(2, 9), D(2, 10)),
  dep('main/dev', '1.1.0', 'superseded', D(3, 9), D(3, 9.5)),
  dep('main/dev', '1.2.0', 'failed', D(4, 9), D(4, 10)),
  dep('main/dev', '1.2.1', 'succeeded', D(4, 12), D(4, 13)),
  dep('main/dev', '1.3.0', 'succeeded', D(12, 9), D(12, 10), {
    unconfirmed: true,
  }),
  // test: 1.2.1 failed at 10:00 on 5 Nov and Helm rolled back to 1.0.0 at 11:00 (the correlator
  // moves 1.0.0's finish to the rollback); 1.2.2 was then committed by hand (never in dev).
  dep('main/test', '1.0.0', 'superseded', D(2, 11), D(5, 11), {
    durationMs: 72 * H,
  }),
  dep('main/test', '1.2.1', 'rolled-back', D(5, 9), D(5, 10), {
    updatedAt: D(5, 11),
  }),
  dep('main/test', '1.2.2', 'superseded', D(6, 11), D(6, 12)),
  // 1.1.0 reached test on 8 Nov at 10:00, 120.5 h after it reached dev.
  dep('main/test', '1.1.0', 'succeeded', D(8, 9), D(8, 10)),
  // prod: 1.0.0 on both targets (1 h and 2 h), done 26 h after its dev start; 1.1.0 on one target only.
  dep('edge/prod-a', '1.0.0', 'superseded', D(3, 9), D(3, 10)),
  dep('edge/prod-b', '1.0.0', 'superseded', D(3, 9), D(3, 11)),
  dep('edge/prod-a', '1.1.0', 'succeeded', D(9, 9), D(9, 10)),
  // Outside the period, and another app in the same namespace: never counted.
  dep('main/dev', '0.9.0', 'failed', D(20, 9), D(20, 10)),
  { ...dep('main/dev', '5.0.0', 'failed', D(3, 9), D(3, 10)), name: 'other' },
];

/** The promotion of 1.0.0 into prod, requested at 13:00 on 2 Nov and approved the next morning. */
export const promotions = [
  {
    id: '00000000-0000-4000-8000-000000000001',
    pipeline_namespace: 'flux-system',
    pipeline_name: 'podinfo',
    environment: 'prod',
    from_environment: 'test',
    version: '1.0.0',
    trigger: 'manual',
    strategy: 'pull-request',
    state: 'succeeded',
    requested_by: 'user:default/alice',
    approved_by: 'user:default/bob',
    requested_at: new Date(D(2, 13)),
    updated_at: new Date(D(3, 11)),
  },
];

/** Writes the scenario into a migrated database. */
export async function seedScenario(knex: Knex): Promise<void> {
  await new DatabaseDeploymentStore(knex).save(deployments);
  await knex('promotions').insert(promotions);
}
