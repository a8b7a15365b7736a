import { createHash } from 'node:crypto';
import { formatGoDuration, parseDuration } from '../clock';
import { ResourceStore } from '../store/ResourceStore';
import { RESOURCE_TYPES } from '../store/resourceTypes';
import { KubeObject } from '../store/types';
import { ReleaseRef } from './helmMessages';

const HELM_REPOSITORY = RESOURCE_TYPES.find(t => t.kind === 'HelmRepository')!;
const OCI_REPOSITORY = RESOURCE_TYPES.find(t => t.kind === 'OCIRepository')!;

/** What a HelmRelease asks helm-controller to make true. */
export interface DesiredRelease {
  release: ReleaseRef;
  chart: string;
  /** The chart version as Helm sees it (OCI charts carry a `+<digest>` suffix). */
  version: string;
  appVersion: string;
  /** `sha256:<hex>` digest of the values (the event `token`). */
  configDigest: string;
  /** `sha256:<hex>` of the OCI artifact, for OCI charts. */
  ociDigest?: string;
  generation: number;
  testEnabled: boolean;
  ignoreTestFailures: boolean;
  installRetries: number;
  upgradeRetries: number;
  upgradeStrategy: 'rollback' | 'uninstall';
  remediateLastFailure: boolean;
  /** Go-formatted action timeout, e.g. `5m0s`. */
  timeout: string;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A stable digest of Helm values (keys sorted), like helm-controller's config digest. */
export function valuesDigest(values: unknown): string {
  return `sha256:${sha256(JSON.stringify(sortKeys(values ?? {})))}`;
}

export function readDesiredRelease(
  hr: KubeObject,
  store: ResourceStore,
  appVersionFor: (chart: string, version: string) => string,
): DesiredRelease {
  const spec = hr.spec ?? {};
  const ns = hr.metadata.namespace!;
  const chartSpec = spec.chart?.spec ?? {};
  let chart = chartSpec.chart ?? hr.metadata.name;
  let version = String(chartSpec.version ?? '0.0.0');
  let oci = false;
  if (spec.chartRef?.kind === 'OCIRepository') {
    const repo = store.tryGet(
      OCI_REPOSITORY,
      spec.chartRef.namespace ?? ns,
      spec.chartRef.name,
    );
    oci = true;
    chart = String(repo?.spec?.url ?? spec.chartRef.name)
      .split('/')
      .pop()!;
    version = String(
      repo?.spec?.ref?.tag ?? repo?.spec?.ref?.semver ?? version,
    );
  } else if (chartSpec.sourceRef?.kind === 'HelmRepository') {
    const repo = store.tryGet(
      HELM_REPOSITORY,
      chartSpec.sourceRef.namespace ?? ns,
      chartSpec.sourceRef.name,
    );
    oci = repo?.spec?.type === 'oci';
  }
  const baseVersion = version.replace(/^v/, '').replace(/\+.*$/, '');
  const ociDigest = oci
    ? `sha256:${sha256(`${chart}@${baseVersion}`)}`
    : undefined;
  const timeout = spec.timeout
    ? formatGoDuration(parseDuration(spec.timeout))
    : '5m0s';
  const upgradeRemediation = spec.upgrade?.remediation ?? {};
  const upgradeRetries = Number(upgradeRemediation.retries ?? 0);
  return {
    release: {
      namespace: spec.targetNamespace ?? ns,
      name:
        spec.releaseName ??
        (spec.targetNamespace
          ? `${spec.targetNamespace}-${hr.metadata.name}`
          : hr.metadata.name),
    },
    chart,
    version: ociDigest
      ? `${baseVersion}+${ociDigest.slice(7, 19)}`
      : baseVersion,
    appVersion: appVersionFor(chart, baseVersion),
    configDigest: valuesDigest(spec.values),
    ociDigest,
    generation: hr.metadata.generation ?? 1,
    testEnabled: !!spec.test?.enable,
    ignoreTestFailures: !!(
      upgradeRemediation.ignoreTestFailures ?? spec.test?.ignoreFailures
    ),
    installRetries: Number(spec.install?.remediation?.retries ?? 0),
    upgradeRetries,
    upgradeStrategy:
      upgradeRemediation.strategy === 'uninstall' ? 'uninstall' : 'rollback',
    remediateLastFailure:
      upgradeRemediation.remediateLastFailure ?? upgradeRetries > 0,
    timeout,
  };
}

function sortKeys(value: any): any {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map(k => [k, sortKeys(value[k])]),
    );
  }
  return value;
}
