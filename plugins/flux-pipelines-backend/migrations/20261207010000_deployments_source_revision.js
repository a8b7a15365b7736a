// @ts-check

/**
 * Where a deployment's change came from, when its input named it apart from
 * the version (a Kustomization's `originRevision`, a chart's OCI digest), so
 * it survives restarts and the expiry of the events that said it.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('deployments', table => {
    table
      .string('source_revision', 255)
      .nullable()
      .comment('source revision (git commit or OCI digest), parsed');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('deployments', table => {
    table.dropColumn('source_revision');
  });
};
