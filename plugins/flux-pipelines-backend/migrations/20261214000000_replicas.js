// @ts-check

/**
 * `backend_replicas`: the backend replicas on this database and until when
 * each counts as live. Every replica renews its row with its cluster leases
 * and spreads the clusters over the live ones (src/follow/clusterAssignment.ts);
 * a replica that stops deletes its row, one that dies lets it expire.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('backend_replicas', table => {
    table.comment(
      'Backend replicas sharing the clusters, and until when each is live',
    );
    table.string('id', 255).primary();
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.timestamp('renewed_at', { useTz: true }).notNullable();
    table
      .timestamp('expires_at', { useTz: true })
      .notNullable()
      .comment('The replica counts as gone after this time');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('backend_replicas');
};
