import type { ObjectFields } from './progressObservation';
import { field, k8sName, str, MAX_NAME_CHARS } from './values';

export type ObjectHeader = {
  ok: true;
  namespace: string;
  name: string;
  uid?: string;
  apiVersion?: string;
};

/** Reads kind, namespace, name and uid of a Flux object, or says what is wrong. */
export function objectHeader(
  input: unknown,
  kind: 'HelmRelease' | 'Kustomization',
): ObjectHeader | { ok: false; reason: string; object?: string } {
  const meta = field(input, 'metadata');
  const rawNs = str(field(meta, 'namespace'), MAX_NAME_CHARS);
  const rawName = str(field(meta, 'name'), MAX_NAME_CHARS);
  let object: string | undefined;
  if (rawName) object = rawNs ? `${rawNs}/${rawName}` : rawName;
  const k = field(input, 'kind');
  if (k !== undefined && k !== kind)
    return { ok: false, reason: `expected a ${kind}`, object };
  const namespace = k8sName(rawNs);
  const name = k8sName(rawName);
  if (!namespace || !name)
    return {
      ok: false,
      reason: `${kind} has no valid metadata.namespace/name`,
      object,
    };
  const uid = str(field(meta, 'uid'), 128);
  const apiVersion = str(field(input, 'apiVersion'), 128);
  return {
    ok: true,
    namespace,
    name,
    ...(uid ? { uid } : {}),
    ...(apiVersion ? { apiVersion } : {}),
  };
}

/** The fields that name the object on a cluster, for its observations. */
export function objectFields(
  h: ObjectHeader,
  kind: 'HelmRelease' | 'Kustomization',
  cluster: string,
): ObjectFields {
  return {
    cluster,
    namespace: h.namespace,
    kind,
    name: h.name,
    ...(h.uid ? { uid: h.uid } : {}),
  };
}
