// @ts-check

/**
 * The de-duplicated log of everything observed about Flux objects: Kubernetes
 * Events (either API), notification-controller webhooks and status snapshots.
 * Events expire after an hour in the cluster; this log keeps them.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('observations', table => {
    table.comment(
      'Canonical observations of Flux HelmReleases and Kustomizations',
    );
    table.bigIncrements('id').primary();
    table
      .string('dedup_key', 512)
      .notNullable()
      .unique()
      .comment('Same input seen twice (event uid + count, webhook body hash)');
    table
      .string('occurrence_key', 128)
      .notNullable()
      .unique()
      .comment('Same occurrence from another source (watch and webhook)');
    table.string('cluster', 253).notNullable();
    table.string('namespace', 253).notNullable();
    table.string('kind', 64).notNullable();
    table.string('name', 253).notNullable();
    table.string('uid', 64).nullable();
    table.string('chart_version', 255).nullable();
    table.string('app_version', 255).nullable();
    table.string('digest', 255).nullable();
    table.string('config_digest', 255).nullable();
    table.string('action', 32).notNullable();
    table.string('outcome', 32).notNullable();
    table.string('reason', 128).notNullable();
    table.text('message').notNullable();
    table.timestamp('observed_at', { useTz: true }).notNullable();
    table.bigInteger('duration_ms').nullable();
    table.string('source', 32).notNullable();
    table.timestamp('recorded_at', { useTz: true }).notNullable();
    table.index(
      ['cluster', 'namespace', 'kind', 'name', 'observed_at'],
      'observations_target_idx',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('observations');
};
