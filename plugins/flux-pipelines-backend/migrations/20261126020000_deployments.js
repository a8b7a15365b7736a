// @ts-check

/**
 * Per target (a Flux object on a cluster) and version: the deployment state
 * the correlator derives from observations.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('deployments', table => {
    table.comment('One version of one Flux object on one cluster');
    table.string('cluster', 253).notNullable();
    table.string('namespace', 253).notNullable();
    table.string('kind', 64).notNullable();
    table.string('name', 253).notNullable();
    table.string('chart_version', 255).notNullable();
    table.string('app_version', 255).nullable();
    table.string('digest', 255).nullable();
    table
      .string('status', 32)
      .notNullable()
      .comment(
        'progressing, succeeded, failed, rolled-back, superseded, unknown',
      );
    table.text('message').nullable();
    table.timestamp('started_at', { useTz: true }).nullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.bigInteger('duration_ms').nullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.primary(['cluster', 'namespace', 'kind', 'name', 'chart_version']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('deployments');
};
