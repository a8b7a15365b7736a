// @ts-check

/**
 * Pipelines known to the plugin, from configuration or from Weave GitOps
 * `Pipeline` objects in the clusters.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('pipelines', table => {
    table.comment('Pipelines: an application and its ordered environments');
    table.string('namespace', 253).notNullable();
    table.string('name', 253).notNullable();
    table
      .string('source', 32)
      .notNullable()
      .comment('Where the definition came from: config or cluster');
    table
      .text('spec')
      .notNullable()
      .comment('JSON: appRef and environments with their targets');
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.primary(['namespace', 'name']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('pipelines');
};
