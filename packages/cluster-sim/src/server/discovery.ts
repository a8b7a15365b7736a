import { ApiError } from '../store/ApiError';
import {
  RESOURCE_TYPES,
  RESOURCE_VERBS,
  ResourceType,
} from '../store/resourceTypes';

/** Answers /version, /api, /api/v1, /apis, /apis/<group> and /apis/<group>/<version>. */
export function discoveryDocument(
  pathname: string,
  serverAddress: string,
): unknown {
  const parts = pathname.split('/').filter(Boolean);
  if (parts[0] === 'version') return versionInfo();
  if (parts[0] === 'api' && parts.length === 1) {
    return {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
    };
  }
  if (parts[0] === 'api' && parts[1] === 'v1') return resourceList('', 'v1');
  if (parts[0] === 'apis' && parts.length === 1) {
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: groups().map(apiGroup),
    };
  }
  if (parts[0] === 'apis' && parts.length === 2) {
    const group = groups().find(g => g.name === parts[1]);
    if (group)
      return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group) };
  }
  if (parts[0] === 'apis' && parts.length === 3) {
    const group = groups().find(g => g.name === parts[1]);
    if (group?.versions.includes(parts[2]))
      return resourceList(parts[1], parts[2]);
  }
  throw new ApiError({
    code: 404,
    reason: 'NotFound',
    message: 'the server could not find the requested resource',
    details: {},
  });
}

export function versionInfo() {
  return {
    major: '1',
    minor: '32',
    gitVersion: 'v1.32.0-cluster-sim',
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.23.4',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

function groups(): { name: string; versions: string[] }[] {
  const out = new Map<string, string[]>();
  for (const t of RESOURCE_TYPES) {
    if (!t.group) continue;
    const versions = out.get(t.group) ?? [];
    for (const v of t.versions) if (!versions.includes(v)) versions.push(v);
    out.set(t.group, versions);
  }
  return [...out].map(([name, versions]) => ({ name, versions }));
}

function apiGroup(group: { name: string; versions: string[] }) {
  const versions = group.versions.map(version => ({
    groupVersion: `${group.name}/${version}`,
    version,
  }));
  return { name: group.name, versions, preferredVersion: versions[0] };
}

function resourceList(group: string, version: string) {
  const types = RESOURCE_TYPES.filter(
    t => t.group === group && t.versions.includes(version),
  );
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: types.flatMap(resourceEntries),
  };
}

function resourceEntries(t: ResourceType) {
  const main = {
    name: t.plural,
    singularName: t.singular,
    namespaced: t.namespaced,
    kind: t.kind,
    verbs: RESOURCE_VERBS,
    ...(t.shortNames.length ? { shortNames: t.shortNames } : {}),
    ...(t.categories ? { categories: t.categories } : {}),
  };
  if (!t.hasStatus) return [main];
  const status = {
    name: `${t.plural}/status`,
    singularName: '',
    namespaced: t.namespaced,
    kind: t.kind,
    verbs: ['get', 'patch', 'update'],
  };
  return [main, status];
}
