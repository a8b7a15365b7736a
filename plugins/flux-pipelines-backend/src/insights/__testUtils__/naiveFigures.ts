import { TargetDeployment } from '@flux-pipelines/plugin-flux-pipelines-common';
import {
  hasSucceeded,
  succeededEverywhere,
} from '../../correlate/confirmedSuccess';
import { environmentState } from '../../domain/executionState';
import { onTarget } from '../../domain/objectKey';
import { reinstatedByRollback } from '../../domain/rollback';
import { passedThrough } from '../../domain/skipped';
import { at } from '../../domain/time';
import { PromotionRow, generatedPipeline } from './generatedHistory';

type Pipeline = ReturnType<typeof generatedPipeline>;
type Environment = Pipeline['environments'][number];
const DAY = 86_400_000;

/** `percentile_cont` in JavaScript, in whole milliseconds. */
export function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = p * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.min(low + 1, sorted.length - 1);
  return Math.round(
    sorted[low] + (position - low) * (sorted[high] - sorted[low]),
  );
}

/**
 * The domain's rules over the rows of one app: whether a success is a
 * deployment of its own (`hasSucceeded`, not `reinstatedByRollback`), and
 * when a version arrived on every target (`perTarget`: each target's rows).
 */
export function domainRules(rows: TargetDeployment[]) {
  const deployed = (d: TargetDeployment) =>
    hasSucceeded(d) &&
    !reinstatedByRollback(
      rows.filter(o => onTarget(o, d)),
      d,
    );
  const arrival = (perTarget: TargetDeployment[][], version: string) => {
    const found = perTarget.map(list =>
      list.find(d => d.chartVersion === version),
    );
    if (!succeededEverywhere(found) || !found.every(d => deployed(d!))) {
      return undefined;
    }
    return Math.max(...found.map(d => at(d!.finishedAt)));
  };
  return { deployed, arrival };
}

const figure = (x: number[]) => ({
  n: x.length,
  medianMs: percentile(x, 0.5),
  p90Ms: percentile(x, 0.9),
});

/**
 * A pipeline's figures per environment the naive way: every row in memory,
 * the domain's rules applied one deployment at a time. In the shape of the
 * API's `EnvironmentInsights` (the fields the database computes).
 */
export function naiveFigures(
  stored: TargetDeployment[],
  promotions: PromotionRow[],
  p: Pipeline,
  period: { from: Date; to: Date },
) {
  const rows = stored.filter(d => d.name === p.appRef.name);
  const onTargetRows = (t: Environment['targets'][number]) =>
    rows.filter(d => onTarget(t, d));
  const perTarget = (e: Environment) => e.targets.map(onTargetRows);
  const inPeriod = (time: number) =>
    time >= period.from.getTime() && time < period.to.getTime();
  const { deployed, arrival: arrivalOn } = domainRules(rows);
  const arrival = (e: Environment, version: string) =>
    arrivalOn(perTarget(e), version);
  const first = { name: 'first', perTarget: perTarget(p.environments[0]) };
  // Each version's first start (or finish) in the first environment.
  const firstStarts = new Map<string, number>();
  for (const d of first.perTarget.flat()) {
    const start = at(d.startedAt ?? d.finishedAt);
    const known = firstStarts.get(d.chartVersion) ?? Infinity;
    firstStarts.set(d.chartVersion, Math.min(known, start));
  }
  return p.environments.map((environment, index) => {
    const all = perTarget(environment).flat();
    const here = all.filter(d => inPeriod(at(d.finishedAt)));
    const ok = here.filter(deployed);
    const failed = here.filter(d =>
      ['failed', 'rolled-back'].includes(environmentState({ reached: [d] })),
    );
    const restore = failed.flatMap(f => {
      const next = all
        .filter(
          s =>
            onTarget(s, f) &&
            hasSucceeded(s) &&
            at(s.finishedAt) > at(f.finishedAt),
        )
        .map(s => at(s.finishedAt));
      return next.length ? [Math.min(...next) - at(f.finishedAt)] : [];
    });
    const duration = (d: TargetDeployment) =>
      d.durationMs ?? at(d.finishedAt) - at(d.startedAt);
    const timed = ok.filter(
      d => (d.durationMs !== undefined && d.durationMs !== null) || d.startedAt,
    );
    const slowest = environment.targets
      .map(t => ({
        ...t,
        ...figure(timed.filter(d => onTarget(t, d)).map(duration)),
      }))
      .filter(t => t.n)
      .sort(
        (a, b) =>
          b.medianMs! - a.medianMs! ||
          a.cluster.localeCompare(b.cluster) ||
          a.namespace.localeCompare(b.namespace),
      );
    const candidates = new Set(
      here.filter(hasSucceeded).map(d => d.chartVersion),
    );
    const reached = [...candidates].flatMap(version => {
      const done = arrival(environment, version);
      return done !== undefined && inPeriod(done) ? [{ version, done }] : [];
    });
    const passed = reached.filter(r => passedThrough(first, r.version));
    const leadTimes = passed.map(r => r.done - firstStarts.get(r.version)!);
    /** The promotions of a version into this environment requested before it arrived. */
    const promotionsOf = (r: { version: string; done: number }) =>
      promotions.filter(
        x =>
          x.pipeline_name === p.name &&
          x.environment === environment.name &&
          x.version === r.version &&
          x.requested_at.getTime() <= r.done,
      );
    const promotionTimes = reached.flatMap(r => {
      const asked = promotionsOf(r).map(x => x.requested_at.getTime());
      return asked.length ? [r.done - Math.max(...asked)] : [];
    });
    const previous = p.environments[index - 1];
    const hops = reached.flatMap(r => {
      const before = previous && arrival(previous, r.version);
      if (before === undefined || before > r.done) return [];
      const start = Math.min(
        ...all
          .filter(d => d.chartVersion === r.version)
          .map(d => at(d.startedAt ?? d.finishedAt)),
      );
      const approvals = promotionsOf(r).flatMap(x => {
        const approved = (x.approved_at ?? x.requested_at).getTime();
        return approved <= r.done ? [approved] : [];
      });
      const waited = approvals.length ? Math.max(...approvals) : start;
      return [
        {
          total: r.done - before,
          waiting: Math.max(waited, before) - before,
          deploying: r.done - start,
        },
      ];
    });
    const perDay = new Map<string, number>();
    for (const d of ok) {
      const day = new Date(Math.floor(at(d.finishedAt) / DAY) * DAY)
        .toISOString()
        .slice(0, 10);
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }
    return {
      environment: environment.name,
      deploymentFrequency: { n: ok.length, days: Object.fromEntries(perDay) },
      leadTime: {
        ...figure(leadTimes),
        skippedFirstEnvironment: reached.length - passed.length,
      },
      changeFailureRate: {
        n: ok.length + failed.length,
        failed: failed.length,
      },
      timeToRestore: { n: restore.length, medianMs: percentile(restore, 0.5) },
      deploymentDuration: {
        ...figure(timed.map(duration)),
        slowestTargets: slowest.slice(0, 5),
      },
      promotionTime: figure(promotionTimes),
      hopTime: {
        ...figure(hops.map(h => h.total)),
        waiting: figure(hops.map(h => h.waiting)),
        deploying: figure(hops.map(h => h.deploying)),
      },
      unconfirmed: here.filter(
        d => d.unconfirmed && ['succeeded', 'superseded'].includes(d.status),
      ).length,
    };
  });
}
