import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import knexFactory, { Knex } from 'knex';
import { startBenchBackend } from './backend';
import { migrated } from './benchIngest';
import * as history from './insightsHistory';
import { percentile, round } from './stats';

/**
 * Profiling the insights API on a seeded PostgreSQL that outlives the run:
 * `seed` starts a throwaway server, seeds the team's history once and notes
 * the connection in {@link STATE}; `profile` times requests against it and
 * with EXPLAIN=team (or entity) prints EXPLAIN (ANALYZE, BUFFERS) of the
 * statements that request runs and saves them with their bindings in /tmp.
 * The first profile's answers are kept; later ones say whether theirs are
 * the same. Run: node -e "require('@backstage/cli/config/nodeTransform.cjs');
 * require('./bench/src/insightsProfile.ts').main(process.argv.slice(1))" seed|profile [calls]
 * (the server stays up until stopped with pg_ctl; its folder is in /tmp).
 */
const STATE = '/tmp/flux-insights-profile.json';
const importEsm = new Function('s', 'return import(s)') as (
  s: string,
) => Promise<any>;
const options = { entities: 100, history: 1_000_000 };

async function seed() {
  const lib = await importEsm(
    pathToFileURL(resolve(__dirname, '../../scripts/lib/postgres.mjs')).href,
  );
  const server = await lib.startThrowawayPostgres(lib.findPostgresBin());
  const admin = knexFactory({
    client: 'pg',
    connection: server.connectionString,
  });
  await admin.raw('CREATE DATABASE insights');
  await admin.destroy();
  const url = `${server.connectionString}/insights`;
  writeFileSync(
    STATE,
    JSON.stringify({ url, server: server.connectionString }),
  );
  const knex = await migrated(knexFactory({ client: 'pg', connection: url }));
  const rows = await history.seedTeamHistory(knex, options);
  const summary = await history.summariseHistory(knex);
  console.log(`seeded ${rows} rows, summary ${summary} s; ${url}`);
  await knex.destroy();
}

async function profile(times: number) {
  const { url } = JSON.parse(readFileSync(STATE, 'utf8'));
  const knex = await migrated(
    knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 10 } }),
  );
  const { pipelines, entities } = history.teamOf(options);
  const backend = await startBenchBackend({
    knex,
    entities,
    config: history.teamConfig(pipelines),
  });
  const to = new Date(history.HISTORY_END);
  const from = new Date(history.HISTORY_END - 30 * 86_400_000);
  const period = `from=${from.toISOString()}&to=${to.toISOString()}`;
  const scopes = {
    entity: `entityRef=component:default/${pipelines[50].name}`,
    team: `owner=${encodeURIComponent(history.TEAM)}`,
  };
  const call = async (scope: string) => {
    const res = await backend.get(
      `/api/flux-pipelines/insights?${scope}&${period}`,
    );
    const body = await res.json();
    if (res.status !== 200) throw new Error(JSON.stringify(body));
    return body;
  };
  try {
    const answers: Record<string, string> = {};
    for (const [name, scope] of Object.entries(scopes)) {
      answers[name] = JSON.stringify(await call(scope));
      const samples: number[] = [];
      const n = name === 'team' ? Math.max(10, times / 5) : times;
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        await call(scope);
        samples.push(performance.now() - t0);
      }
      console.log(name, {
        p50: round(percentile(samples, 50), 1),
        p99: round(percentile(samples, 99), 1),
        n,
      });
    }
    const answerFile = '/tmp/flux-insights-answers.json';
    if (existsSync(answerFile)) {
      const before = JSON.parse(readFileSync(answerFile, 'utf8'));
      for (const k of Object.keys(answers))
        console.log(
          k,
          before[k] === answers[k] ? 'SAME ANSWER' : 'DIFFERENT ANSWER',
        );
    } else writeFileSync(answerFile, JSON.stringify(answers));
    if (process.env.EXPLAIN)
      await explain(knex, () =>
        call(process.env.EXPLAIN === 'entity' ? scopes.entity : scopes.team),
      );
  } finally {
    await backend.stop();
    await knex.destroy();
  }
}

async function explain(knex: Knex, request: () => Promise<unknown>) {
  const queries: Array<{ sql: string; bindings: unknown[] }> = [];
  const listener = (q: any) => {
    if (/deployment_facts/.test(q.sql))
      queries.push({ sql: q.sql, bindings: q.bindings });
  };
  knex.on('query', listener);
  await request();
  knex.off('query', listener);
  for (const q of queries) {
    writeFileSync(
      `/tmp/flux-insights-${process.env.EXPLAIN}-q${queries.indexOf(q)}.json`,
      JSON.stringify(q),
    );
    const plan = await knex.transaction<any>(async trx => {
      await trx.raw('SET LOCAL enable_nestloop = off; SET LOCAL jit = off');
      return trx.raw(
        `EXPLAIN (ANALYZE, BUFFERS) ${q.sql.replace(/\$\d+/g, '?')}`,
        q.bindings as any,
      );
    });
    console.log(plan.rows.map((r: any) => r['QUERY PLAN']).join('\n'));
    console.log('-----');
  }
}

export async function main(argv: string[]) {
  const [command, n] = argv;
  if (command === 'seed') await seed();
  else if (command === 'profile') await profile(Number(n ?? 50));
  else throw new Error('seed | profile [requests]');
  process.exit(0);
}
