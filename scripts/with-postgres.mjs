#!/usr/bin/env node
// Runs a command with a PostgreSQL server for the database tests.
//
// If BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is set, that server
// is used. Otherwise a throwaway server is started from Debian's `postgresql`
// package and removed afterwards. Without PostgreSQL the tests run on SQLite
// only and this says so loudly; with CI=true that is an error.
import { spawn } from 'node:child_process';
import { findPostgresBin, startThrowawayPostgres } from './lib/postgres.mjs';

const ENV = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';
const [command, ...args] = process.argv.slice(2);
let server;

if (!process.env[ENV]) {
  const bin = findPostgresBin();
  if (bin) {
    server = await startThrowawayPostgres(bin);
    process.env[ENV] = server.connectionString;
    console.log(
      `[with-postgres] started a throwaway PostgreSQL at ${server.connectionString}`,
    );
  } else if (process.env.CI) {
    console.error(
      `[with-postgres] CI=true but PostgreSQL is not installed and ${ENV} is not set.`,
    );
    process.exit(1);
  } else {
    console.warn(
      `\n!!! SKIPPING POSTGRESQL: no /usr/lib/postgresql/*/bin/pg_ctl and no ${ENV}.\n` +
        '!!! Database tests run on SQLite only. Install it: apt-get install postgresql\n',
    );
  }
}

// Tell the store tests that PostgreSQL must be there (they fail instead of
// quietly running on SQLite only), and run Jest once rather than in watch mode,
// which the Backstage CLI picks whenever CI is unset.
const env = { ...process.env, CI: process.env.CI || 'true' };
if (process.env[ENV]) env.FLUX_PIPELINES_TEST_POSTGRES = 'required';
const child = spawn(command, args, { stdio: 'inherit', shell: false, env });
const code = await new Promise(resolve =>
  child.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0))),
);
server?.stop();
process.exit(code);
