// @ts-check

/**
 * The promotions of one version into an environment, for the insights'
 * promotion time of every version a scope reached at once (a lookup per
 * version instead of a scan of the environment's promotions).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('promotions', table => {
    table.index(
      [
        'pipeline_namespace',
        'pipeline_name',
        'environment',
        'version',
        'requested_at',
      ],
      'promotions_environment_version_idx',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('promotions', table => {
    table.dropIndex([], 'promotions_environment_version_idx');
  });
};
