// @ts-check

/**
 * A change counter per key of the in-memory read model (e.g. one object's
 * deployments), bumped in the transaction that changes what the key covers,
 * so every replica can tell with one small read which of its cached parts
 * another replica changed.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('read_model_revisions', table => {
    table
      .text('key')
      .primary()
      .comment(
        'What changed, e.g. deployments:["cluster","ns","HelmRelease","name"]',
      );
    table
      .bigInteger('revision')
      .notNullable()
      .comment('Incremented by every change of what the key covers');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('read_model_revisions');
};
