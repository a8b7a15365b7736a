/** Whether a knex client (or transaction) talks to PostgreSQL; else SQLite. */
export function isPostgres(db: {
  client: { config: { client?: unknown } };
}): boolean {
  return /^(pg|postgres)/.test(String(db.client.config.client));
}
