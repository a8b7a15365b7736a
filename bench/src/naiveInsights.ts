import { Knex } from 'knex';
import { hasSucceeded } from '../../plugins/flux-pipelines-backend/src/correlate/confirmedSuccess';
import { fromRow } from '../../plugins/flux-pipelines-backend/src/database/deploymentRows';
import { percentile } from './stats';

interface NaivePipeline {
  namespace: string;
  name: string;
  appRef: { kind: string; name: string };
  environments: Array<{
    name: string;
    targets: Array<{ cluster: string; namespace: string }>;
  }>;
}

const key = (d: { cluster: string; namespace: string; name: string }) =>
  `${d.cluster}/${d.namespace}/${d.name}`;
const ms = (t: unknown) =>
  t === undefined || t === null ? NaN : new Date(t as string).getTime();

/**
 * The baseline: the same figures the way one would without SQL aggregates —
 * load every deployment of the pipelines' targets up to the period's end
 * (and their promotions), then compute in JavaScript with the domain's
 * `hasSucceeded`. Rollbacks are not told apart from deployments, so the
 * baseline does slightly less work than the real rules.
 */
export async function naiveInsights(
  knex: Knex,
  pipelines: NaivePipeline[],
  period: { from: Date; to: Date },
) {
  const targets = pipelines.flatMap(p =>
    p.environments.flatMap(e =>
      e.targets.map(t => [
        t.cluster,
        t.namespace,
        p.appRef.kind,
        p.appRef.name,
      ]),
    ),
  );
  const rows = [];
  for (let k = 0; k < targets.length; k += 200) {
    const some = await knex('deployments')
      .whereIn(
        ['cluster', 'namespace', 'kind', 'name'],
        targets.slice(k, k + 200),
      )
      .andWhere('finished_at', '<', period.to);
    for (const row of some) rows.push(row);
  }
  const promotions = await knex('promotions').whereIn(
    ['pipeline_namespace', 'pipeline_name'],
    pipelines.map(p => [p.namespace, p.name]),
  );
  const byTarget = new Map<string, ReturnType<typeof fromRow>[]>();
  for (const row of rows) {
    const d = fromRow(row);
    const list = byTarget.get(key(d));
    if (list) list.push(d);
    else byTarget.set(key(d), [d]);
  }
  for (const list of byTarget.values())
    list.sort((a, b) => ms(a.finishedAt) - ms(b.finishedAt));
  const requested = new Map<string, number[]>();
  for (const r of promotions) {
    const k = `${r.pipeline_name}/${r.environment}/${r.version}`;
    requested.set(k, [...(requested.get(k) ?? []), ms(r.requested_at)]);
  }
  const from = period.from.getTime();
  const to = period.to.getTime();
  const inPeriod = (t: number) => t >= from && t < to;
  return pipelines.map(p => {
    const history = (e: NaivePipeline['environments'][number]) =>
      e.targets.flatMap(
        t => byTarget.get(key({ ...t, name: p.appRef.name })) ?? [],
      );
    const firstStart = new Map<string, number>();
    for (const d of history(p.environments[0])) {
      if (hasSucceeded(d)) firstStart.set(d.chartVersion, ms(d.startedAt));
    }
    return p.environments.map(e => {
      const all = history(e).sort(
        (a, b) => ms(a.finishedAt) - ms(b.finishedAt),
      );
      const recent = all.filter(d => inPeriod(ms(d.finishedAt)));
      const ok = recent.filter(hasSucceeded);
      const failed = recent.filter(
        d => d.status === 'failed' || d.status === 'rolled-back',
      );
      const perDay = new Map<number, number>();
      for (const d of ok) {
        const day = Math.floor(ms(d.finishedAt) / 86_400_000);
        perDay.set(day, (perDay.get(day) ?? 0) + 1);
      }
      const restore = failed.flatMap(f => {
        const target = byTarget.get(key(f))!;
        const next = target.find(
          s => ms(s.finishedAt) > ms(f.finishedAt) && hasSucceeded(s),
        );
        return next ? [ms(next.finishedAt) - ms(f.finishedAt)] : [];
      });
      const arrived = new Map<string, { n: number; done: number }>();
      for (const d of all.filter(hasSucceeded)) {
        const a = arrived.get(d.chartVersion) ?? { n: 0, done: 0 };
        arrived.set(d.chartVersion, {
          n: a.n + 1,
          done: Math.max(a.done, ms(d.finishedAt)),
        });
      }
      const reached = [...arrived].filter(
        ([, a]) => a.n === e.targets.length && inPeriod(a.done),
      );
      const lead = reached.flatMap(([v, a]) =>
        firstStart.has(v) ? [a.done - firstStart.get(v)!] : [],
      );
      const waits = reached.flatMap(([v, a]) => {
        const asked = (requested.get(`${p.name}/${e.name}/${v}`) ?? []).filter(
          t => t <= a.done,
        );
        return asked.length ? [a.done - Math.max(...asked)] : [];
      });
      const durations = ok.map(
        d => d.durationMs ?? ms(d.finishedAt) - ms(d.startedAt),
      );
      const p50p90 = (x: number[]) => ({
        n: x.length,
        medianMs: percentile(x, 50),
        p90Ms: percentile(x, 90),
      });
      return {
        environment: e.name,
        succeeded: ok.length,
        failed: failed.length,
        perDay: [...perDay],
        leadTime: p50p90(lead),
        timeToRestore: p50p90(restore),
        duration: p50p90(durations),
        promotionTime: p50p90(waits),
      };
    });
  });
}
