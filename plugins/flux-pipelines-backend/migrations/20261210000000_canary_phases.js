// @ts-check

/**
 * The phases Flagger canaries went through, one row per canary revision
 * (spec hash) and phase, first sighting kept: what a health gate reads to
 * ask whether the canary of a HelmRelease succeeded or failed for a version.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('canary_phases', table => {
    table.comment('Phases of Flagger canaries, per canary revision');
    table.bigIncrements('id').comment('Order of first sighting');
    table.text('cluster').notNullable();
    table.text('namespace').notNullable();
    table
      .text('target')
      .notNullable()
      .comment('The HelmRelease (same namespace) the canary follows');
    table.text('canary').notNullable().comment('The Canary object name');
    table
      .string('spec_hash', 128)
      .notNullable()
      .comment("Flagger's status.lastAppliedSpec");
    table.string('phase', 32).notNullable();
    table
      .text('version')
      .notNullable()
      .comment('Chart version the canary labels named when seen');
    table
      .string('transition_at', 40)
      .notNullable()
      .comment("Flagger's status.lastTransitionTime (ISO)");
    table.unique(['cluster', 'namespace', 'canary', 'spec_hash', 'phase'], {
      indexName: 'canary_phases_once',
    });
    table.index(['cluster', 'namespace', 'target'], 'canary_phases_target');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('canary_phases');
};
