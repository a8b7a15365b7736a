import type { Observation } from '@flux-pipelines/plugin-flux-pipelines-common';
import { CONTROLLERS_RULE, controllerProblem } from './owningController';
import { classify, isTraceReason } from './reasons';
import { parseHelmMessage } from './parseHelmMessage';
import {
  NormaliseContext,
  NormaliseResult,
  accepted,
  ignored,
  rejected,
} from './types';
import {
  MAX_NAME_CHARS,
  field,
  firstStr,
  isObj,
  k8sName,
  str,
  truncateMessage,
} from './values';
import { versionProblem } from './versionFormat';
import { changeSource } from './sourceRevision';

/** The parts of any event (core, events.k8s.io, webhook) an observation needs. */
export interface FlatEvent {
  cluster: string;
  involvedObject: unknown;
  reason: unknown;
  message: unknown;
  /** `Normal`/`Warning` (Events) or `info`/`error` (webhook severity). */
  severity: unknown;
  /** Event annotations or webhook metadata. */
  metadata: unknown;
  /** Already chosen per FLUX.md §3. */
  time: string | undefined;
  source: Observation['source'];
  /**
   * Every field of the input that names who reported the event (e.g.
   * `source.component` and `reportingComponent`); see {@link controllerProblem}.
   */
  reportedBy: unknown[];
  /**
   * The event was seen more than once (count > 1). The recorder only patches
   * count, time and message of a repeated event, so its annotations are those
   * of the first occurrence and may name another chart version.
   */
  repeated?: boolean;
  /** Builds the dedup key once the observation is known. */
  dedupKey: (obs: Omit<Observation, 'dedupKey'>) => string;
}

const KINDS = ['HelmRelease', 'Kustomization'] as const;

/** `ns/name` of an involved object, when readable; for warnings. */
export function objectLabel(involved: unknown): string | undefined {
  const ns = str(field(involved, 'namespace'), MAX_NAME_CHARS);
  const name = str(field(involved, 'name'), MAX_NAME_CHARS);
  if (!name) return undefined;
  return ns ? `${ns}/${name}` : name;
}

/** Looks a metadata key up with any of the group prefixes, or none (Flux ≥ 2.5 webhooks). */
function meta(
  metadata: unknown,
  group: string,
  key: string,
): string | undefined {
  return firstStr(metadata, [`${group}/${key}`, key]);
}

function severityOf(v: unknown): 'warning' | 'normal' | undefined {
  if (v === 'Warning' || v === 'error') return 'warning';
  if (v === 'Normal' || v === 'info') return 'normal';
  return undefined;
}

/** Turns a flattened event into an observation, or says why not. */
export function observationFromEvent(
  e: FlatEvent,
  ctx: NormaliseContext,
): NormaliseResult {
  const involved = e.involvedObject;
  const label = objectLabel(involved);
  if (!isObj(involved)) return rejected('no involved object');
  const kind = field(involved, 'kind');
  if (typeof kind !== 'string')
    return rejected('involved object has no kind', label);
  if (!(KINDS as readonly string[]).includes(kind)) {
    return ignored(`kind ${kind.slice(0, 64)} is not followed`);
  }
  const namespace = k8sName(field(involved, 'namespace'));
  const name = k8sName(field(involved, 'name'));
  if (!namespace || !name)
    return rejected('involved object has no valid namespace/name', label);
  // (the observations' reason column holds 128 characters)
  const reason = str(e.reason, 128);
  if (!reason) return rejected('event has no reason', label);
  if (typeof e.message !== 'string')
    return rejected('event has no message', label);
  if (!e.time) return rejected('event has no valid time', label);
  const typedKind = kind as Observation['kind'];
  const untrusted = controllerProblem(
    typedKind,
    ctx.reportedBy === undefined
      ? e.reportedBy
      : [...e.reportedBy, ctx.reportedBy],
    ctx.controllers,
  );
  if (untrusted)
    return rejected(`${reason}: ${untrusted}`, label, CONTROLLERS_RULE);
  if (typedKind === 'HelmRelease' && isTraceReason(reason)) {
    return ignored(`trace event ${reason}`);
  }

  const message = truncateMessage(e.message);
  const { action, outcome } = classify(
    typedKind,
    reason,
    message,
    severityOf(e.severity),
  );
  const group =
    typedKind === 'HelmRelease'
      ? 'helm.toolkit.fluxcd.io'
      : 'kustomize.toolkit.fluxcd.io';
  const parsed = typedKind === 'HelmRelease' ? parseHelmMessage(message) : {};
  const annotated = meta(e.metadata, group, 'revision');
  // Trust a repeated event's annotations only when its message names the same version.
  const stale =
    e.repeated === true &&
    (!parsed.chartVersion || parsed.chartVersion !== annotated);
  const metadata = stale ? undefined : e.metadata;
  const token = meta(metadata, group, 'token');
  const configDigest = token;
  const ociDigest = meta(metadata, group, 'oci-digest');
  const sourceRevision = changeSource(typedKind, metadata);

  const obs: Omit<Observation, 'dedupKey'> = {
    cluster: e.cluster,
    namespace,
    kind: typedKind,
    name,
    action,
    outcome,
    reason,
    message,
    time: e.time,
    source: e.source,
  };
  const uid = str(field(involved, 'uid'), 64);
  if (uid) obs.uid = uid;
  const chartVersion = (stale ? undefined : annotated) ?? parsed.chartVersion;
  const badVersion = versionProblem(typedKind, chartVersion, 'revision');
  if (badVersion) return rejected(`${reason}: ${badVersion}`, label);
  if (chartVersion) obs.chartVersion = chartVersion;
  const appVersion = meta(metadata, group, 'app-version');
  if (appVersion) obs.appVersion = appVersion;
  const digest = ociDigest ?? configDigest;
  if (digest) obs.digest = digest;
  if (configDigest) obs.configDigest = configDigest;
  if (sourceRevision) obs.sourceRevision = sourceRevision;
  if (parsed.releaseRevision !== undefined)
    obs.releaseRevision = parsed.releaseRevision;
  return accepted([{ ...obs, dedupKey: e.dedupKey(obs) }]);
}
