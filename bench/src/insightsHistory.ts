import { Entity } from '@backstage/catalog-model';
import { Knex } from 'knex';
import { COLUMNS } from '../../plugins/flux-pipelines-backend/src/database/deploymentRows';
import { backfillDeploymentFacts } from '../../plugins/flux-pipelines-backend/src/database/deploymentFacts';
import { isPostgres } from '../../plugins/flux-pipelines-backend/src/database/dialect';

/** One team's history: `entities` components, each with a pipeline dev → test → prod. */
export interface HistoryOptions {
  entities: number;
  history: number;
}

const HOUR = 3_600_000;
export const TEAM = 'group:default/team-a';
/** The newest deployment finishes just before this time; the measured period ends here. */
export const HISTORY_END = Date.UTC(2026, 11, 1);
/** Every fifth pipeline runs prod on two clusters. */
const prodTargets = (i: number) =>
  i % 5 === 0 ? ['edge-a', 'edge-b'] : ['edge-a'];

/** The pipelines as `fluxPipelines.pipelines` configures them, and their catalog entities. */
export function teamOf(options: HistoryOptions) {
  const pipelines = Array.from({ length: options.entities }, (_, i) => ({
    namespace: 'flux-system',
    name: `app-${i}`,
    appRef: { kind: 'HelmRelease', name: `app-${i}` },
    environments: [
      { name: 'dev', targets: [{ cluster: 'main', namespace: 'dev' }] },
      { name: 'test', targets: [{ cluster: 'main', namespace: 'test' }] },
      {
        name: 'prod',
        targets: prodTargets(i).map(cluster => ({
          cluster,
          namespace: 'prod',
        })),
      },
    ],
  }));
  const entities: Entity[] = pipelines.map(p => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: p.name,
      namespace: 'default',
      annotations: { 'flux-pipelines.io/pipelines': `flux-system/${p.name}` },
    },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
    relations: [{ type: 'ownedBy', targetRef: TEAM }],
  }));
  return { pipelines, entities };
}

/** The plugin's configuration for the team's pipelines. */
export function teamConfig(pipelines: ReturnType<typeof teamOf>['pipelines']) {
  return {
    fluxPipelines: {
      clusters: ['main', 'edge-a', 'edge-b'].map(name => ({
        name,
        webhookHmacKey: `${name}-bench-key`,
      })),
      pipelines,
    },
  };
}

type Row = Record<string, unknown>;

/**
 * Version `v` of pipeline `i`: built every `every` hours; in dev 10 min later
 * (1 in 10 fails there and goes no further; 1 in 40 only events report, so
 * it is unconfirmed), in test 2 h after dev (1 in 25 is rolled back, the
 * previous version reinstated), in prod after a promotion waiting 4–28 h for
 * approval (1 in 3 versions is promoted; 1 in 30 of those fails on one target).
 */
function versionRows(
  i: number,
  v: number,
  start: number,
  rows: Row[],
  promotions: Row[],
): void {
  const version = `1.${v}.0`;
  const name = `app-${i}`;
  const row = (
    cluster: string,
    namespace: string,
    status: string,
    at: number,
    ms: number,
    extra: Row = {},
  ) =>
    void rows.push({
      cluster,
      namespace,
      kind: 'HelmRelease',
      name,
      chart_version: version,
      app_version: version,
      digest: null,
      status,
      message: `Helm ${
        status === 'failed' ? 'upgrade failed' : 'upgrade succeeded'
      } for ${namespace}/${name} with chart ${name}@${version}`,
      started_at: new Date(at),
      finished_at: new Date(at + ms),
      duration_ms: ms,
      updated_at: new Date(at + ms),
      unconfirmed: false,
      source_revision: null,
      ...extra,
    });
  const jitter = ((i * 7919 + v * 104729) % 600) * 1000;
  if (v % 10 === 9)
    return row('main', 'dev', 'failed', start, 300_000 + jitter);
  if (v % 40 === 17)
    return row('main', 'dev', 'superseded', start, 60_000, {
      unconfirmed: true,
    });
  row('main', 'dev', 'superseded', start, 40_000 + jitter);
  const inTest = start + 2 * HOUR;
  if (v % 25 === 11) {
    return row('main', 'test', 'rolled-back', inTest, 90_000, {
      updated_at: new Date(inTest + 120_000),
    });
  }
  row('main', 'test', 'superseded', inTest, 50_000 + jitter);
  if (v % 3 !== 0) return;
  const requested = inTest + HOUR;
  const approved = requested + (4 + (v % 25)) * HOUR;
  prodTargets(i).forEach((cluster, t) =>
    row(
      cluster,
      'prod',
      v % 90 === 0 && t === 0 ? 'failed' : 'superseded',
      approved + t * 600_000,
      70_000 + jitter,
    ),
  );
  promotions.push({
    id: `00000000-0000-4000-8000-${String(i * 1_000_000 + v).padStart(
      12,
      '0',
    )}`,
    pipeline_namespace: 'flux-system',
    pipeline_name: name,
    environment: 'prod',
    from_environment: 'test',
    version,
    trigger: 'manual',
    strategy: 'pull-request',
    state: 'succeeded',
    requested_by: 'user:default/alice',
    approved_by: 'user:default/bob',
    requested_at: new Date(requested),
    updated_at: new Date(approved),
  });
}

/** How many versions of pipeline `i` write `rows` rows (as {@link versionRows} does). */
function versionsFor(i: number, rows: number): number {
  const scratch: Row[] = [];
  let v = 0;
  while (scratch.length < rows) versionRows(i, v++, 0, scratch, []);
  return Math.max(1, v);
}

/**
 * Seeds about `history` deployment rows (and the promotions into prod) for
 * the team, newest ending at {@link HISTORY_END}; PostgreSQL takes each batch
 * as one array per column, SQLite as 400-row inserts.
 */
export async function seedTeamHistory(knex: Knex, options: HistoryOptions) {
  const postgres = isPostgres(knex);
  let rows: Row[] = [];
  let promotions: Row[] = [];
  let inserted = 0;
  const flush = async () => {
    if (postgres && rows.length) {
      await knex.raw(
        `INSERT INTO deployments (${COLUMNS.map(([c]) => c).join(
          ', ',
        )}) SELECT * FROM unnest(${COLUMNS.map(([, t]) => `?::${t}[]`).join(
          ', ',
        )})`,
        COLUMNS.map(([c]) => rows.map(r => r[c] ?? null)) as any[],
      );
    } else if (rows.length) {
      await knex.batchInsert('deployments', rows as any[], 400);
    }
    if (promotions.length)
      await knex.batchInsert('promotions', promotions as any[], 400);
    inserted += rows.length;
    rows = [];
    promotions = [];
  };
  const perEntity = options.history / options.entities;
  for (let i = 0; i < options.entities; i++) {
    const versions = versionsFor(
      i,
      Math.round(perEntity * (i + 1)) - Math.round(perEntity * i),
    );
    // About four versions a day, the newest finishing before HISTORY_END.
    const every = 6 * HOUR;
    const first = HISTORY_END - versions * every - 2 * 24 * HOUR;
    for (let v = 0; v < versions; v++) {
      versionRows(
        i,
        v,
        first + v * every + (i % 60) * 60_000,
        rows,
        promotions,
      );
      if (rows.length >= 50_000) await flush();
    }
  }
  await flush();
  // The newest row of each target is what runs there now.
  await knex('deployments')
    .whereIn(
      ['cluster', 'namespace', 'name', 'finished_at'],
      knex('deployments')
        .select('cluster', 'namespace', 'name', knex.raw('max(finished_at)'))
        .groupBy('cluster', 'namespace', 'name'),
    )
    .andWhere('status', 'superseded')
    .update({ status: 'succeeded' });
  if (postgres) await knex.raw('ANALYZE deployments; ANALYZE promotions');
  return inserted;
}

/**
 * Summarises the seeded rows for the insights (`deployment_facts`) as the
 * migration does for the rows a database had before it: by the same
 * backfill, in batches of targets. Returns how long it took, in seconds.
 */
export async function summariseHistory(knex: Knex): Promise<number> {
  const started = Date.now();
  await knex('deployment_facts_backfill').insert({ after_cluster: null });
  await backfillDeploymentFacts(knex);
  if (isPostgres(knex)) await knex.raw('ANALYZE deployment_facts');
  return (Date.now() - started) / 1000;
}
