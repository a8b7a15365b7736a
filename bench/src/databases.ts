import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import knexFactory, { Knex } from 'knex';

export type DatabaseKind = 'postgres' | 'sqlite';

/** Where the children find the PostgreSQL server main started or was given. */
export const POSTGRES_ENV = 'FLUX_PIPELINES_BENCH_POSTGRES';
const TEST_ENV = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';

// Keeps `import()` of the .mjs helper from being turned into require() by the transform.
const importEsm = new Function('specifier', 'return import(specifier)') as (
  s: string,
) => Promise<any>;

/**
 * Uses $BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING when set, else
 * starts a throwaway server like `npm test` does (scripts/lib/postgres.mjs).
 * Returns undefined (and the caller says so) when there is neither.
 */
export async function providePostgres(): Promise<
  { connectionString: string; stop(): void } | undefined
> {
  const given = process.env[POSTGRES_ENV] ?? process.env[TEST_ENV];
  if (given) return { connectionString: given, stop() {} };
  const lib = await importEsm(
    pathToFileURL(resolve(__dirname, '../../scripts/lib/postgres.mjs')).href,
  );
  const bin = lib.findPostgresBin();
  if (!bin) return undefined;
  return lib.startThrowawayPostgres(bin);
}

/** A fresh, empty database of the given kind; `drop` removes it. */
export async function freshDatabase(
  kind: DatabaseKind,
): Promise<{ knex: Knex; drop(): Promise<void>; connection?: string }> {
  if (kind === 'sqlite') {
    const file = join(tmpdir(), `flux-bench-${randomUUID()}.sqlite`);
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: file },
      useNullAsDefault: true,
    });
    return {
      knex,
      async drop() {
        await knex.destroy();
        for (const suffix of ['', '-wal', '-shm', '-journal'])
          rmSync(`${file}${suffix}`, { force: true });
      },
    };
  }
  const url = process.env[POSTGRES_ENV];
  if (!url) throw new Error(`PostgreSQL benchmark without ${POSTGRES_ENV}`);
  const name = `bench_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const admin = knexFactory({
    client: 'pg',
    connection: url,
    pool: { min: 0, max: 1 },
  });
  await admin.raw(`CREATE DATABASE ${name}`);
  const base = new URL(url);
  base.pathname = `/${name}`;
  // The pool size Backstage uses by default.
  const knex = knexFactory({
    client: 'pg',
    connection: base.toString(),
    pool: { min: 0, max: 10 },
  });
  return {
    knex,
    // For other processes on the same database (the fleet's replicas).
    connection: base.toString(),
    async drop() {
      await knex.destroy();
      await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.destroy();
    },
  };
}
