import { KubeObject } from '../clusters/listResource';
import { HELM_TESTS_LABEL } from '../database/AppLabelStore';
import { FluxObjectRef } from '../database/ObservationStore';

/** The object as a watched app (HelmRelease, Kustomization) of `cluster`; none without a name. */
export function appRef(
  cluster: string,
  kind: FluxObjectRef['kind'],
  object: KubeObject,
): FluxObjectRef | undefined {
  const { namespace, name } = object?.metadata ?? {};
  return typeof namespace === 'string' && typeof name === 'string'
    ? { cluster, namespace, kind, name }
    : undefined;
}

/** The labels catalog entities are linked by, sorted; Helm tests as a label of their own. */
export function labelsOf(
  object: KubeObject,
  kind: FluxObjectRef['kind'],
): Record<string, string> {
  const own = object?.metadata?.labels;
  const labels: Record<string, unknown> = {
    ...(own && typeof own === 'object' ? own : {}),
    ...(kind === 'HelmRelease' && (object?.spec as any)?.test?.enable === true
      ? { [HELM_TESTS_LABEL]: 'enabled' }
      : {}),
  };
  return Object.fromEntries(
    Object.entries(labels)
      .filter(([, v]) => typeof v === 'string')
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  ) as Record<string, string>;
}

/** `namespace/name` of an object, for logs. */
export function describe(object: KubeObject): string {
  const ns = object?.metadata?.namespace;
  const name = object?.metadata?.name;
  return typeof name === 'string'
    ? `${ns ?? ''}/${name}`
    : 'an object without a name';
}
