import { TargetDeployment } from '@flux-pipelines/plugin-flux-pipelines-common';

const H = 3_600_000;
/** The period the comparison asks for; the history starts before it and goes on after it. */
export const GENERATED_PERIOD = {
  from: new Date('2026-11-01T00:00:00Z'),
  to: new Date('2026-12-01T00:00:00Z'),
};
const START = Date.parse('2026-10-18T00:00:00Z');

/** What every generated promotion (manual, into prod, done) has. */
const PROMOTION = {
  pipeline_namespace: 'flux-system',
  environment: 'prod',
  from_environment: 'test',
  trigger: 'manual',
  strategy: 'pull-request',
  state: 'succeeded',
  requested_by: 'user:default/alice',
};

/** A stored promotion row. */
export type PromotionRow = Record<string, unknown> & {
  pipeline_name: string;
  environment: string;
  version: string;
  requested_at: Date;
  approved_at: Date | null;
};

/** An environment whose targets are the namespace of its name on `clusters`. */
const environmentOn = (name: string, ...clusters: string[]) => ({
  name,
  targets: clusters.map(cluster => ({ cluster, namespace: name })),
});

/** Pipeline `app-<i>` dev → test → prod as `fluxPipelines.pipelines` configures it; app-0 runs prod on two clusters. */
export function generatedPipeline(i: number) {
  const name = `app-${i}`;
  const prod = i === 0 ? ['edge', 'main'] : ['edge'];
  return {
    namespace: 'flux-system',
    name,
    appRef: { kind: 'HelmRelease', name },
    environments: [
      environmentOn('dev', 'main'),
      environmentOn('test', 'main'),
      environmentOn('prod', ...prod),
    ],
  };
}

/**
 * A pseudo-random history (fixed seed) of `pipelines` pipelines over six
 * weeks around {@link GENERATED_PERIOD}: failures, Helm rollbacks (the
 * version gone back to finishes again at the rollback, as the correlator
 * records it), unconfirmed successes, hand commits that skip dev, versions
 * on only one prod target, several promotion requests per version, and rows
 * before and after the period.
 */
export function generatedHistory(pipelines: number) {
  let seed = 2026;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const deployments: TargetDeployment[] = [];
  const promotions: PromotionRow[] = [];
  for (let i = 0; i < pipelines; i++) {
    const p = generatedPipeline(i);
    const last = new Map<string, TargetDeployment>();
    const deploy = (
      where: { cluster: string; namespace: string },
      version: string,
      start: number,
      outcome: number,
    ) => {
      const key = `${where.cluster}/${where.namespace}`;
      const end = start + Math.floor(random() * 2 * H) + 1000;
      const d: TargetDeployment = {
        ...where,
        kind: 'HelmRelease',
        name: p.name,
        chartVersion: version,
        status: 'superseded',
        startedAt: new Date(start).toISOString(),
        finishedAt: new Date(end).toISOString(),
        updatedAt: new Date(end).toISOString(),
        durationMs: random() < 0.5 ? end - start : undefined,
      };
      const previous = last.get(key);
      if (outcome < 0.1) d.status = 'failed';
      else if (outcome < 0.16 && previous) {
        // Helm rolled back: the previous version finishes again at the rollback.
        const rollback = new Date(end + 60_000).toISOString();
        Object.assign(d, { status: 'rolled-back', updatedAt: rollback });
        Object.assign(previous, { finishedAt: rollback, updatedAt: rollback });
      } else if (outcome < 0.2) d.unconfirmed = true;
      deployments.push(d);
      if (d.status === 'superseded' && !d.unconfirmed) last.set(key, d);
      return d.status === 'superseded' && !d.unconfirmed ? end : undefined;
    };
    for (let v = 0, t = START + i * 7 * 60_000; t < START + 48 * 24 * H; v++) {
      t += Math.floor((4 + random() * 16) * H);
      const version = `1.${v}.0`;
      const [dev, test, prod] = p.environments;
      // One in eight is a hand commit to test that never was in dev.
      const inDev =
        random() < 0.125 ? t : deploy(dev.targets[0], version, t, random());
      if (inDev === undefined || random() < 0.2) continue;
      const inTest = deploy(
        test.targets[0],
        version,
        inDev + Math.floor((1 + random() * 30) * H),
        random(),
      );
      if (inTest === undefined || random() < 0.4) continue;
      let requested = inTest + Math.floor(random() * 30 * H);
      for (let n = random() < 0.3 ? 2 : 1; n > 0; n--) {
        promotions.push({
          ...PROMOTION,
          id: `00000000-0000-4000-8000-${String(promotions.length).padStart(
            12,
            '0',
          )}`,
          pipeline_name: p.name,
          version,
          requested_at: new Date(requested),
          updated_at: new Date(requested),
          // Half are approved some hours after the request; the others needed no approval.
          approved_at:
            random() < 0.5
              ? new Date(requested + Math.floor(random() * 8 * H))
              : null,
        });
        requested += Math.floor(random() * 5 * H);
      }
      for (const target of prod.targets) {
        if (random() < 0.9) deploy(target, version, requested, random());
      }
    }
  }
  return { deployments, promotions };
}
