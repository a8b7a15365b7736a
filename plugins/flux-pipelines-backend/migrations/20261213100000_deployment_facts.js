// @ts-check

/**
 * The insights' summary of each deployment (a target and version): what the
 * figures need of it, decided once when it is written instead of on every
 * request — whether it counts as a success (`hasSucceeded`), as a deployment
 * of its own (not the target going back to it by a rollback), as a failed
 * change, as an unconfirmed success, and for a failure when the target was
 * next restored. Kept in the same transaction as `deployments` by the
 * deployment store (src/insights/deploymentFactsSql.ts).
 *
 * Existing rows are summarised right after the migrations, in batches of
 * targets, by the same statement the store runs (src/database/deploymentFacts.ts):
 * `deployment_facts_backfill` holds the cursor of that work until it is done.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('deployment_facts', table => {
    table.comment('What the insights figures need of each deployments row');
    table.string('cluster', 253).notNullable();
    table.string('namespace', 253).notNullable();
    table.string('kind', 64).notNullable();
    table.string('name', 253).notNullable();
    table.string('chart_version', 255).notNullable();
    table.timestamp('started_at', { useTz: true }).nullable();
    table.timestamp('finished_at', { useTz: true }).nullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.bigInteger('duration_ms').nullable();
    table.integer('ok').notNullable().comment('1: hasSucceeded');
    table
      .integer('deployed')
      .notNullable()
      .comment('1: a success of its own, not reinstated by a rollback');
    table.integer('failed').notNullable().comment('1: failed or rolled back');
    table
      .integer('unconfirmed')
      .notNullable()
      .comment('1: events-only success');
    table
      .timestamp('restored_at', { useTz: true })
      .nullable()
      .comment('a failure: the next success on the target');
    table.primary(['cluster', 'namespace', 'kind', 'name', 'chart_version']);
    table.index(
      ['cluster', 'namespace', 'kind', 'name', 'finished_at'],
      'deployment_facts_object_finished_idx',
    );
  });
  await knex.schema.createTable('deployment_facts_backfill', table => {
    table.comment('Where summarising the existing deployments got to');
    table.string('after_cluster', 253).nullable();
    table.string('after_namespace', 253).nullable();
    table.string('after_kind', 64).nullable();
    table.string('after_name', 253).nullable();
  });
  await knex('deployment_facts_backfill').insert({ after_cluster: null });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('deployment_facts_backfill');
  await knex.schema.dropTable('deployment_facts');
};
