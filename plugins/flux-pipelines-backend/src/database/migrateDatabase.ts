import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { backfillDeploymentFacts } from './deploymentFacts';

const migrationsDir = resolvePackagePath(
  '@flux-pipelines/plugin-flux-pipelines-backend',
  'migrations',
);

/**
 * The plugin's database client, with its migrations applied (unless the
 * service says to skip them), and what they left to build from existing rows
 * (the insights' summary) built.
 */
export async function migrateDatabase(
  database: DatabaseService,
): Promise<Knex> {
  const client = await database.getClient();
  if (!database.migrations?.skip) {
    await client.migrate.latest({ directory: migrationsDir });
    await backfillDeploymentFacts(client);
  }
  return client;
}
