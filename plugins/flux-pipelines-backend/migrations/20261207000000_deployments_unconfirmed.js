// @ts-check

/**
 * A success that only events report, which the object's own status (Helm's
 * release history, a Kustomization's last applied revision) has not
 * confirmed: kept as an observation, never deployed or promotable.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('deployments', table => {
    table
      .boolean('unconfirmed')
      .notNullable()
      .defaultTo(false)
      .comment('succeeded by events only, not (yet) confirmed by status');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('deployments', table => {
    table.dropColumn('unconfirmed');
  });
};
