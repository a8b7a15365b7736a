// @ts-check

/**
 * Promotion records, and the holds a rollback puts on automatic promotion.
 *
 * Exactly-once comes from two unique keys, not from timing:
 * - `active_key` (pipeline + environment) is set while a promotion is not
 *   final, so one environment has at most one running promotion;
 * - `automatic_key` (pipeline + environment + version) is set on automatic
 *   promotions and never cleared, so a version is promoted automatically
 *   into an environment at most once, across restarts and replicas.
 * Unique indexes ignore NULLs on both SQLite and PostgreSQL.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('promotions', table => {
    table.comment('Promotions of a version into an environment of a pipeline');
    table.string('id', 36).primary();
    table.string('pipeline_namespace', 253).notNullable();
    table.string('pipeline_name', 253).notNullable();
    table.string('environment', 253).notNullable();
    table.string('from_environment', 253).nullable();
    table.string('version', 255).notNullable();
    table.string('app_version', 255).nullable();
    table.string('previous_version', 255).nullable();
    table.string('trigger', 16).notNullable().comment('manual, automatic, rollback');
    table.string('strategy', 16).notNullable();
    table.string('state', 32).notNullable();
    table.string('requested_by', 255).notNullable();
    table.string('approved_by', 255).nullable();
    table.timestamp('requested_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.text('pull_request_url').nullable();
    table.string('commit_sha', 64).nullable();
    table.text('error').nullable();
    table.string('active_key', 800).nullable().unique();
    table.string('automatic_key', 1100).nullable().unique();
    table.index(['pipeline_namespace', 'pipeline_name', 'requested_at']);
  });
  await knex.schema.createTable('promotion_holds', table => {
    table.comment('Automatic promotion into these environments is held');
    table.string('pipeline_namespace', 253).notNullable();
    table.string('pipeline_name', 253).notNullable();
    table.string('environment', 253).notNullable();
    table.string('version', 255).notNullable();
    table.string('held_by', 255).notNullable();
    table.timestamp('held_at', { useTz: true }).notNullable();
    table.primary(['pipeline_namespace', 'pipeline_name', 'environment']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('promotion_holds');
  await knex.schema.dropTable('promotions');
};
