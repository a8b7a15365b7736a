// @ts-check

/**
 * Several backend replicas on one database:
 * - `cluster_leases`: which replica watches which cluster (one at a time), until when, and the
 *   health it last reported, so every replica can serve `/health`;
 * - `app_labels`: the labels of the watched HelmReleases and Kustomizations, so any replica can
 *   link catalog entities by `backstage.io/kubernetes-id`;
 * - `pipelines.origin_cluster`: the cluster a WGE `Pipeline` was read from, so a replica replaces
 *   only the pipelines of the clusters it watches.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('cluster_leases', table => {
    table.comment('Which backend replica watches a cluster, until when');
    table.string('cluster', 253).primary();
    table.string('holder', 255).notNullable();
    table
      .timestamp('expires_at', { useTz: true })
      .notNullable()
      .comment('Another replica may take the cluster over after this time');
    table.timestamp('acquired_at', { useTz: true }).notNullable();
    table.timestamp('renewed_at', { useTz: true }).notNullable();
    table
      .text('health')
      .nullable()
      .comment('JSON: the connection state the holder last reported');
  });

  await knex.schema.createTable('app_labels', table => {
    table.comment('Labels of watched HelmReleases and Kustomizations');
    table.string('cluster', 253).notNullable();
    table.string('namespace', 253).notNullable();
    table.string('kind', 64).notNullable();
    table.string('name', 253).notNullable();
    table.string('label', 317).notNullable();
    table.string('value', 63).notNullable();
    table.primary(['cluster', 'namespace', 'kind', 'name', 'label']);
    table.index(['label', 'value'], 'app_labels_label_value_idx');
  });

  await knex.schema.alterTable('pipelines', table => {
    table
      .string('origin_cluster', 253)
      .nullable()
      .comment('For source cluster: the cluster the Pipeline object is in');
  });
  // Cluster pipelines come back with their origin on the next list.
  await knex('pipelines').where({ source: 'cluster' }).delete();
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('pipelines', table => {
    table.dropColumn('origin_cluster');
  });
  await knex.schema.dropTable('app_labels');
  await knex.schema.dropTable('cluster_leases');
};
