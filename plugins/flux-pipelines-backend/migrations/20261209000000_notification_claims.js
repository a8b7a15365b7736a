// @ts-check

/**
 * The notifications sent, one row per state they told of (a promotion
 * waiting for approval, a version failed on a target, ...): a replica claims
 * the state's row before it sends, so replicas and restarts send it once.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('notification_claims', table => {
    table.comment('Which pipeline states were notified, once each');
    table
      .string('claim_key', 64)
      .primary()
      .notNullable()
      .comment('sha256 of the state identity');
    table
      .text('subject')
      .notNullable()
      .comment('The state identity, readable (promotion id and state, ...)');
    table
      .timestamp('claimed_at', { useTz: true })
      .notNullable()
      .comment('When a replica claimed it');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('notification_claims');
};
