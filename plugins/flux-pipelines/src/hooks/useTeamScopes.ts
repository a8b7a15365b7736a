import { useApiHolder } from '@backstage/core-plugin-api';
import {
  CATALOG_FILTER_EXISTS,
  catalogApiRef,
  humanizeEntityRef,
} from '@backstage/plugin-catalog-react';
import { parseEntityRef } from '@backstage/catalog-model';
import { FLUX_PIPELINES_ANNOTATION } from '@flux-pipelines/plugin-flux-pipelines-common';
import useAsync from 'react-use/esm/useAsync';

/** A team or system a page can be filtered to, as the URL names it, and its title. */
export interface TeamScopeOption {
  param: 'owner' | 'system';
  value: string;
  title: string;
}

/** The catalog relation of each scope, and the kind its short names default to. */
const RELATIONS = [
  { type: 'ownedBy', param: 'owner', defaultKind: 'group' },
  { type: 'partOf', param: 'system', defaultKind: 'system' },
] as const;

/**
 * The owners and systems of the catalog entities (that the user may see)
 * with pipelines, sorted by name: what the team page can be filtered to.
 * Empty without a catalog API.
 */
export function useTeamScopes() {
  const catalog = useApiHolder().get(catalogApiRef);
  return useAsync(async (): Promise<TeamScopeOption[]> => {
    if (!catalog) return [];
    const { items } = await catalog.getEntities({
      filter: {
        [`metadata.annotations.${FLUX_PIPELINES_ANNOTATION}`]:
          CATALOG_FILTER_EXISTS,
      },
      fields: ['relations'],
    });
    const options = new Map<string, TeamScopeOption>();
    for (const relation of items.flatMap(e => e.relations ?? [])) {
      const scope = RELATIONS.find(r => r.type === relation.type);
      if (!scope) continue;
      const ref = parseEntityRef(relation.targetRef);
      if (scope.param === 'system' && ref.kind !== 'system') continue;
      const value = humanizeEntityRef(ref, { defaultKind: scope.defaultKind });
      options.set(`${scope.param}:${value}`, {
        param: scope.param,
        value,
        title: value,
      });
    }
    return [...options.values()].sort(
      (a, b) =>
        a.param.localeCompare(b.param) || a.value.localeCompare(b.value),
    );
  }, [catalog]);
}
