import { mockServices } from '@backstage/backend-test-utils';
import {
  Pipeline,
  TargetDeployment,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { createTestDatabases } from '../__testUtils__/databases';
import { DatabaseDeploymentStore } from '../database/DatabaseDeploymentStore';
import { migrateDatabase } from '../database/migrateDatabase';
import { environmentState } from '../domain/executionState';
import { onTarget, targetRef } from '../domain/objectKey';
import { passedThrough } from '../domain/skipped';
import { at } from '../domain/time';
import { DatabaseInsightsStore } from './DatabaseInsightsStore';
import {
  D,
  PERIOD,
  deployments as scenario,
  pipeline,
} from './__testUtils__/insightsScenario';
import { domainRules, percentile } from './__testUtils__/naiveFigures';

const databases = createTestDatabases();

/** A small pseudo-random history (fixed seed): every status, unconfirmed successes, versions that skip environments. */
function history(): TargetDeployment[] {
  let seed = 16;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const statuses: TargetDeployment['status'][] = [
    'succeeded',
    'superseded',
    'failed',
    'rolled-back',
    'progressing',
    'unknown',
  ];
  const rows: TargetDeployment[] = [];
  for (let v = 0; v < 40; v++) {
    for (const [e, environment] of pipeline.environments.entries()) {
      for (const target of environment.targets) {
        if (random() < 0.3) continue;
        // Later environments later, as promotions go; a few versions start before the period.
        const day = (v % 8) + e * 3 + Math.floor(random() * 3);
        const start = D(day, Math.floor(random() * 20));
        const end = new Date(
          at(start) + Math.floor(random() * 7_200_000),
        ).toISOString();
        rows.push({
          ...targetRef(pipeline, target),
          chartVersion: `2.${v}.0`,
          status: statuses[Math.floor(random() * statuses.length)],
          startedAt: start,
          finishedAt: end,
          updatedAt: end,
          unconfirmed: random() < 0.2 || undefined,
        });
      }
    }
  }
  return rows;
}

/** The figures the SQL must agree with, from the domain rules applied to every row. */
function byDomainRules(stored: TargetDeployment[], p: Pipeline, index: number) {
  // The pipeline's app only (the SQL reads the app's rows on each target).
  const rows = stored.filter(
    d => d.kind === p.appRef.kind && d.name === p.appRef.name,
  );
  const inPeriod = (d: TargetDeployment) =>
    at(d.finishedAt) >= PERIOD.from.getTime() &&
    at(d.finishedAt) < PERIOD.to.getTime();
  const perTarget = (e: Pipeline['environments'][number]) =>
    e.targets.map(t => rows.filter(d => onTarget(t, d)));
  const environment = p.environments[index];
  const here = rows.filter(
    d => environment.targets.some(t => onTarget(t, d)) && inPeriod(d),
  );
  const state = (d: TargetDeployment) => environmentState({ reached: [d] });
  const { deployed, arrival: arrivalOn } = domainRules(rows);
  const arrival = (e: Pipeline['environments'][number], version: string) =>
    arrivalOn(perTarget(e), version);
  const first = {
    name: p.environments[0].name,
    perTarget: perTarget(p.environments[0]),
  };
  const versions = [
    ...new Set(
      perTarget(environment)
        .flat()
        .map(d => d.chartVersion),
    ),
  ];
  const reached = versions.flatMap(version => {
    const done = arrival(environment, version);
    return done !== undefined &&
      done >= PERIOD.from.getTime() &&
      done < PERIOD.to.getTime()
      ? [{ version, done }]
      : [];
  });
  const previous = p.environments[index - 1];
  const hops = reached.flatMap(r => {
    const before = previous && arrival(previous, r.version);
    return before !== undefined && before <= r.done ? [r.done - before] : [];
  });
  const passed = reached.filter(r => passedThrough(first, r.version));
  const leadTimes = passed.map(
    r =>
      r.done -
      Math.min(
        ...first.perTarget
          .flat()
          .filter(d => d.chartVersion === r.version)
          .map(d => at(d.startedAt)),
      ),
  );
  return {
    hopTime: {
      n: hops.length,
      medianMs: percentile(hops, 0.5),
      p90Ms: percentile(hops, 0.9),
    },
    succeeded: here.filter(deployed).length,
    failed: here.filter(d => ['failed', 'rolled-back'].includes(state(d)))
      .length,
    unconfirmed: here.filter(
      d => d.unconfirmed && ['succeeded', 'superseded'].includes(d.status),
    ).length,
    leadTime: {
      n: passed.length,
      medianMs: percentile(leadTimes, 0.5),
      p90Ms: percentile(leadTimes, 0.9),
      skippedFirstEnvironment: reached.length - passed.length,
    },
  };
}

describe.each(databases.eachSupportedId())('the insights SQL on %s', id => {
  it.each([
    ['the scenario', scenario],
    ['a random history', history()],
  ])(
    'applies the same rules as src/domain and correlate/confirmedSuccess to %s',
    async (_name, rows) => {
      const knex = await migrateDatabase(
        mockServices.database({ knex: await databases.init(id) }),
      );
      await knex('deployments').delete();
      await new DatabaseDeploymentStore(knex).save(rows);
      const store = new DatabaseInsightsStore(knex);
      for (const [index, environment] of pipeline.environments.entries()) {
        const previous = pipeline.environments[index - 1];
        const sql = await store.environmentFigures({
          previous: previous && {
            environment: previous.name,
            targets: previous.targets.map(t => targetRef(pipeline, t)),
          },
          pipeline: { namespace: pipeline.namespace, name: pipeline.name },
          environment: environment.name,
          targets: environment.targets.map(t => targetRef(pipeline, t)),
          firstTargets: pipeline.environments[0].targets.map(t =>
            targetRef(pipeline, t),
          ),
          ...PERIOD,
        });
        const expected = byDomainRules(rows, pipeline, index);
        expect({ env: environment.name, ...sql }).toMatchObject({
          env: environment.name,
          ...expected,
        });
      }
      // The data set exercises the rules: versions that skip dev, unconfirmed successes.
      const prod = byDomainRules(rows, pipeline, 2);
      const test = byDomainRules(rows, pipeline, 1);
      expect(
        prod.leadTime.skippedFirstEnvironment +
          test.leadTime.skippedFirstEnvironment,
      ).toBeGreaterThan(0);
      expect(byDomainRules(rows, pipeline, 0).unconfirmed).toBeGreaterThan(0);
    },
  );
});
