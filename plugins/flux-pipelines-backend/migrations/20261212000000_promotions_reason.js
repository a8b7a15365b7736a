// @ts-check

/**
 * Why a promotion was asked for when no person asked (an automatic
 * rollback: "automatic rollback: 6.5.2 failed in prod (canary failed on
 * main/prod)"), shown on the promotion.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('promotions', table => {
    table
      .text('reason')
      .nullable()
      .comment('Why the promotion was asked for (automatic rollbacks)');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('promotions', table => {
    table.dropColumn('reason');
  });
};
