// @ts-check

/**
 * Indexes for the insights queries: an environment's deployments that
 * finished in a period (a range read per target), and the promotions into an
 * environment requested in a period.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('deployments', table => {
    table.index(
      ['cluster', 'namespace', 'kind', 'name', 'finished_at'],
      'deployments_object_finished_idx',
    );
  });
  await knex.schema.alterTable('promotions', table => {
    table.index(
      ['pipeline_namespace', 'pipeline_name', 'environment', 'requested_at'],
      'promotions_environment_requested_idx',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('promotions', table => {
    table.dropIndex([], 'promotions_environment_requested_idx');
  });
  await knex.schema.alterTable('deployments', table => {
    table.dropIndex([], 'deployments_object_finished_idx');
  });
};
