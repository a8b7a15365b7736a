// @ts-check

/**
 * Indexes for the ingest path's working set of an object (its most recently
 * changed versions, and those currently deployed or running), so that applying
 * an observation reads a few rows however long the object's history is.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('deployments', table => {
    table.index(
      ['cluster', 'namespace', 'kind', 'name', 'updated_at'],
      'deployments_object_updated_idx',
    );
    table.index(
      ['cluster', 'namespace', 'kind', 'name', 'status'],
      'deployments_object_status_idx',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('deployments', table => {
    table.dropIndex([], 'deployments_object_updated_idx');
    table.dropIndex([], 'deployments_object_status_idx');
  });
};
