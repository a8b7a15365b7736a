// @ts-check

/**
 * A counter bumped by every change of the pipelines table, so that a replica
 * can keep the parsed pipelines and check with one tiny read whether they are
 * still current.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('pipelines_revision', table => {
    table.comment('One row: how many times the pipelines changed');
    table.integer('id').primary();
    table.bigInteger('revision').notNullable();
  });
  await knex('pipelines_revision').insert({ id: 1, revision: 0 });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('pipelines_revision');
};
