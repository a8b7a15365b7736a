/** The kinds of resource the stand-in serves, and how each appears in discovery. */
export interface ResourceType {
  /** API group; '' for the core group. */
  group: string;
  /** Served versions, preferred first. */
  versions: string[];
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  /** Objects of several served types can share one storage (events in two groups). */
  storage: string;
  /** Has a /status subresource and metadata.generation. */
  hasStatus: boolean;
  /** Custom resources refuse strategic-merge patches, like the real apiserver. */
  custom: boolean;
  categories?: string[];
}

const verbs = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
export const RESOURCE_VERBS = verbs;

function custom(
  group: string,
  versions: string[],
  kind: string,
  plural: string,
  shortNames: string[],
): ResourceType {
  return {
    group,
    versions,
    kind,
    plural,
    singular: kind.toLowerCase(),
    namespaced: true,
    shortNames,
    storage: `${group}/${plural}`,
    hasStatus: true,
    custom: true,
    categories: group.endsWith('fluxcd.io') ? ['all'] : undefined,
  };
}

export const RESOURCE_TYPES: ResourceType[] = [
  {
    group: '',
    versions: ['v1'],
    kind: 'Namespace',
    plural: 'namespaces',
    singular: 'namespace',
    namespaced: false,
    shortNames: ['ns'],
    storage: 'namespaces',
    hasStatus: true,
    custom: false,
  },
  {
    group: '',
    versions: ['v1'],
    kind: 'Event',
    plural: 'events',
    singular: 'event',
    namespaced: true,
    shortNames: ['ev'],
    storage: 'events',
    hasStatus: false,
    custom: false,
  },
  {
    group: '',
    versions: ['v1'],
    kind: 'Secret',
    plural: 'secrets',
    singular: 'secret',
    namespaced: true,
    shortNames: [],
    storage: 'secrets',
    hasStatus: false,
    custom: false,
  },
  {
    group: 'events.k8s.io',
    versions: ['v1'],
    kind: 'Event',
    plural: 'events',
    singular: 'event',
    namespaced: true,
    shortNames: ['ev'],
    storage: 'events',
    hasStatus: false,
    custom: false,
  },
  custom(
    'helm.toolkit.fluxcd.io',
    ['v2', 'v2beta2', 'v2beta1'],
    'HelmRelease',
    'helmreleases',
    ['hr'],
  ),
  custom(
    'kustomize.toolkit.fluxcd.io',
    ['v1'],
    'Kustomization',
    'kustomizations',
    ['ks'],
  ),
  custom(
    'source.toolkit.fluxcd.io',
    ['v1'],
    'GitRepository',
    'gitrepositories',
    ['gitrepo'],
  ),
  custom(
    'source.toolkit.fluxcd.io',
    ['v1', 'v1beta2'],
    'HelmRepository',
    'helmrepositories',
    ['helmrepo'],
  ),
  custom(
    'source.toolkit.fluxcd.io',
    ['v1beta2', 'v1'],
    'OCIRepository',
    'ocirepositories',
    ['ocirepo'],
  ),
  custom('pipelines.weave.works', ['v1alpha1'], 'Pipeline', 'pipelines', []),
  custom('flagger.app', ['v1beta1'], 'Canary', 'canaries', ['canary']),
];

export function findResourceType(
  group: string,
  version: string,
  plural: string,
) {
  return RESOURCE_TYPES.find(
    t =>
      t.group === group && t.plural === plural && t.versions.includes(version),
  );
}

export function findResourceTypeByKind(apiVersion: string, kind: string) {
  const [group, version] = apiVersion.includes('/')
    ? apiVersion.split('/')
    : ['', apiVersion];
  return RESOURCE_TYPES.find(
    t => t.group === group && t.kind === kind && t.versions.includes(version),
  );
}

export function apiVersionOf(type: ResourceType, version = type.versions[0]) {
  return type.group ? `${type.group}/${version}` : version;
}

/** `helmreleases.helm.toolkit.fluxcd.io`, as the apiserver names a resource in messages. */
export function qualifiedResource(type: ResourceType) {
  return type.group ? `${type.plural}.${type.group}` : type.plural;
}
