// @ts-check

/**
 * `status_fingerprints`: per watched HelmRelease / Kustomization, short
 * digests of the observations its status last gave, once they were recorded
 * in `observations`. A list (at start, after 410 Gone) skips the objects
 * whose status gives the same ones again, and of the others hands on only
 * the observations not recorded yet: a restart with nothing changed stores
 * nothing and reads no deployments. Written only after those observations
 * were committed, so a missing or stale row only costs a re-ingest the
 * database de-duplicates.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('status_fingerprints', table => {
    table.comment(
      'Digest of the observations each object status last gave, once recorded',
    );
    table.string('cluster', 253).notNullable();
    table.string('namespace', 253).notNullable();
    table.string('kind', 64).notNullable();
    table.string('name', 253).notNullable();
    table
      .text('fingerprint')
      .notNullable()
      .comment(
        'Short sha256 digests of the recorded observations dedup and occurrence keys, sorted',
      );
    table.primary(['cluster', 'kind', 'namespace', 'name']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('status_fingerprints');
};
