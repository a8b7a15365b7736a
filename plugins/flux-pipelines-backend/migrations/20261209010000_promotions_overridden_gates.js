// @ts-check

/**
 * The gates a promotion went through although they refused it, overridden
 * by a user with `flux-pipelines.promotion.override` (JSON list of
 * `{ gate, state, reason }`), shown on the promotion.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('promotions', table => {
    table
      .text('overridden_gates')
      .nullable()
      .comment('JSON: the gates overridden to allow this promotion');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('promotions', table => {
    table.dropColumn('overridden_gates');
  });
};
