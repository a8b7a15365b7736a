import { createHash } from 'node:crypto';

/** A Kubernetes object as plain JSON. */
export type Json = Record<string, any>;

export const HELM_API = 'helm.toolkit.fluxcd.io/v2';
const KUBERNETES_ID = 'backstage.io/kubernetes-id';

function hex(input: string, length: number): string {
  return createHash('sha256').update(input).digest('hex').slice(0, length);
}

/** The uid a HelmRelease gets in these benchmarks (stable, so events can name it). */
export function releaseUid(namespace: string, name: string): string {
  const h = hex(`${namespace}/${name}`, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(
    16,
    20,
  )}-${h.slice(20, 32)}`;
}

/** A HelmRelease as a user would apply it, optionally labelled for a catalog entity. */
export function helmRelease(
  namespace: string,
  name: string,
  version: string,
  kubernetesId?: string,
): Json {
  return {
    apiVersion: HELM_API,
    kind: 'HelmRelease',
    metadata: {
      name,
      namespace,
      ...(kubernetesId ? { labels: { [KUBERNETES_ID]: kubernetesId } } : {}),
    },
    spec: {
      interval: '5m',
      chart: {
        spec: {
          chart: name,
          version,
          sourceRef: { kind: 'HelmRepository', name },
        },
      },
      values: { replicaCount: 2 },
    },
  };
}

/** What helm-controller does on the i-th step of one release's life. */
interface Step {
  reason: string;
  type: 'Normal' | 'Warning';
  version: string;
  message: (release: string, chart: string) => string;
}

/**
 * The i-th event of one HelmRelease: upgrades, each followed by its test, and
 * every seventh version failing and rolled back (FLUX.md §1 message shapes).
 */
function step(i: number): Step {
  const release = Math.floor(i / 2);
  const version = `1.${release}.0`;
  const failing = release % 7 === 6;
  const revision = release + 1;
  if (i % 2 === 0) {
    return failing
      ? {
          reason: 'UpgradeFailed',
          type: 'Warning',
          version,
          message: (r, c) =>
            `Helm upgrade failed for release ${r} with chart ${c}@${version}: context deadline exceeded\n\nLast Helm logs:\n\nwaiting for 1 resource(s) to become ready`,
        }
      : {
          reason: 'UpgradeSucceeded',
          type: 'Normal',
          version,
          message: (r, c) =>
            `Helm upgrade succeeded for release ${r}.v${revision} with chart ${c}@${version}`,
        };
  }
  if (failing) {
    const back = `1.${release - 1}.0`;
    return {
      reason: 'RollbackSucceeded',
      type: 'Normal',
      version: back,
      message: (r, c) =>
        `Helm rollback to previous release ${r}.v${
          revision + 1
        } with chart ${c}@${back} succeeded`,
    };
  }
  return {
    reason: 'TestSucceeded',
    type: 'Normal',
    version,
    message: (r, c) =>
      `Helm test succeeded for release ${r}.v${revision} with chart ${c}@${version}: 2 test hook(s) completed successfully`,
  };
}

/**
 * A core/v1 Event about a HelmRelease exactly as helm-controller's recorder
 * writes it (FLUX.md §1 and §3): involvedObject with the controller's API
 * version, the revision, token and app-version annotations, count 1.
 */
export function helmEvent(options: {
  namespace: string;
  name: string;
  /** The n-th event of this release. */
  index: number;
  /** When it happened (ms since epoch). */
  at: number;
  /** Overrides the version and makes it an UpgradeSucceeded. */
  version?: string;
}): Json {
  const { namespace, name, index, at } = options;
  const s: Step = options.version
    ? {
        reason: 'UpgradeSucceeded',
        type: 'Normal',
        version: options.version,
        message: (r, c) =>
          `Helm upgrade succeeded for release ${r}.v${
            index + 2
          } with chart ${c}@${options.version}`,
      }
    : step(index);
  const stamp = new Date(Math.floor(at / 1000) * 1000).toISOString();
  const stampNoMs = stamp.replace(/\.\d{3}Z$/, 'Z');
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name: `${name}.${hex(`${namespace}/${name}/${index}/${s.version}`, 16)}`,
      namespace,
      annotations: {
        'helm.toolkit.fluxcd.io/revision': s.version,
        'helm.toolkit.fluxcd.io/token': `sha256:${hex(
          `${namespace}/${name}/values`,
          64,
        )}`,
        'helm.toolkit.fluxcd.io/app-version': s.version,
      },
    },
    involvedObject: {
      kind: 'HelmRelease',
      namespace,
      name,
      uid: releaseUid(namespace, name),
      apiVersion: HELM_API,
      resourceVersion: String(1000 + index),
    },
    reason: s.reason,
    message: s.message(`${namespace}/${name}`, name),
    source: { component: 'helm-controller' },
    firstTimestamp: stampNoMs,
    lastTimestamp: stampNoMs,
    count: 1,
    type: s.type,
    eventTime: null,
    reportingComponent: 'helm-controller',
    reportingInstance: 'helm-controller-5c7f8d9b6d-x2v4q',
  };
}

/** The namespace and name of the release the i-th event of a run is about. */
export function targetOf(
  i: number,
  targets: number,
): { namespace: string; name: string; index: number } {
  const t = i % targets;
  return {
    namespace: `team-${t % 10}`,
    name: `app-${Math.floor(t / 10)}`,
    index: Math.floor(i / targets),
  };
}
