// @ts-check

/**
 * When a promotion was approved, so insights can split a hop's lead time
 * into waiting (for approval and gates) and deploying. Older approvals keep
 * none: their request time stands in for it.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('promotions', table => {
    table.timestamp('approved_at', { useTz: true }).nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('promotions', table => {
    table.dropColumn('approved_at');
  });
};
