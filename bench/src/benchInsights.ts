import { performance } from 'node:perf_hooks';
import { startBenchBackend } from './backend';
import { migrated } from './benchIngest';
import { DatabaseKind, freshDatabase } from './databases';
import {
  HISTORY_END,
  TEAM,
  seedTeamHistory,
  summariseHistory,
  teamConfig,
  teamOf,
} from './insightsHistory';
import { naiveInsights } from './naiveInsights';
import { percentile, round } from './stats';

export interface InsightsOptions {
  entities: number;
  history: number;
  /** Calls per measurement of one entity (of the team: a tenth, at least 3). */
  requests: number;
  days: number;
  databases: DatabaseKind[];
}

/** The aim for the insights API on PostgreSQL. */
export const AIM_P99_MS = 50;

const stats = (samples: number[]) => ({
  p50: round(percentile(samples, 50), 2),
  p99: round(percentile(samples, 99), 2),
  count: samples.length,
});

async function timed<T>(
  times: number,
  call: () => Promise<T>,
  check: (v: T) => void,
) {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    const value = await call();
    samples.push(performance.now() - t0);
    check(value);
  }
  return stats(samples);
}

/**
 * `GET /insights` of the real plugin for one entity and for its team of
 * `entities`, over a history of `history` rows, against the same figures
 * computed naively in JavaScript in the same run.
 */
export async function benchInsights(options: InsightsOptions) {
  const database = options.databases[0] ?? 'sqlite';
  const db = await freshDatabase(database);
  const { pipelines, entities } = teamOf(options);
  try {
    const knex = await migrated(db.knex);
    const seedStarted = performance.now();
    const historyRows = await seedTeamHistory(knex, options);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const summarySeconds = await summariseHistory(knex);
    const backend = await startBenchBackend({
      knex,
      entities,
      config: teamConfig(pipelines),
    });
    const to = new Date(HISTORY_END);
    const from = new Date(HISTORY_END - options.days * 86_400_000);
    const period = `from=${from.toISOString()}&to=${to.toISOString()}`;
    const api = async (scope: string) => {
      const res = await backend.get(
        `/api/flux-pipelines/insights?${scope}&${period}`,
      );
      const body = await res.json();
      if (res.status !== 200)
        throw new Error(`${res.status}: ${JSON.stringify(body).slice(0, 500)}`);
      return body;
    };
    const failedOf = (
      envs: Array<{ failed?: number; changeFailureRate?: { failed: number } }>,
    ) =>
      envs.reduce(
        (n, e) => n + (e.changeFailureRate?.failed ?? e.failed ?? 0),
        0,
      );
    const problems: string[] = [];
    const expect = (what: string, pipelineCount: number) => (body: any) => {
      if (body.pipelines.length !== pipelineCount)
        problems.push(
          `${what}: ${body.pipelines.length} pipelines, not ${pipelineCount}`,
        );
    };
    const one = pipelines[Math.floor(pipelines.length / 2)];
    const entityScope = `entityRef=component:default/${one.name}`;
    const teamScope = `owner=${encodeURIComponent(TEAM)}`;
    const teamCalls = Math.max(3, Math.round(options.requests / 10));
    try {
      // Warm-up (connections, plans, the catalog's first answers).
      await api(entityScope);
      await api(teamScope);
      const runs = {
        entity: await timed(
          options.requests,
          () => api(entityScope),
          expect('entity', 1),
        ),
        team: await timed(
          teamCalls,
          () => api(teamScope),
          expect('team', pipelines.length),
        ),
      };
      const naive = {
        entity: await timed(
          options.requests,
          () => naiveInsights(knex, [one], { from, to }),
          () => {},
        ),
        team: await timed(
          teamCalls,
          () => naiveInsights(knex, pipelines, { from, to }),
          () => {},
        ),
      };
      // Both count the same failed changes: the baseline computes the same thing.
      const [apiTeam, naiveTeam] = [
        await api(teamScope),
        await naiveInsights(knex, pipelines, { from, to }),
      ];
      const apiFailed = failedOf(
        apiTeam.pipelines.flatMap((p: any) => p.environments),
      );
      const naiveFailed = failedOf(naiveTeam.flat());
      if (apiFailed !== naiveFailed)
        problems.push(
          `failed changes: the API counts ${apiFailed}, the baseline ${naiveFailed}`,
        );
      const postgres = database === 'postgres';
      const scopes = (['entity', 'team'] as const).map(scope => ({
        scope,
        api: runs[scope],
        naive: naive[scope],
        ratioP50: round(naive[scope].p50 / runs[scope].p50, 1),
        ratioP99: round(naive[scope].p99 / runs[scope].p99, 1),
        aimMet: postgres ? runs[scope].p99 < AIM_P99_MS : undefined,
      }));
      return {
        database,
        entities: options.entities,
        historyRows,
        days: options.days,
        failedChanges: apiFailed,
        seedSeconds: round(seedSeconds, 1),
        rowsPerSecond: Math.round(historyRows / seedSeconds),
        summarySeconds: round(summarySeconds, 1),
        scopes,
        problems,
      };
    } finally {
      await backend.stop();
    }
  } finally {
    await db.drop();
  }
}
