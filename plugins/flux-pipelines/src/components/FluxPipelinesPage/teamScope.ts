/** A team or system the overview is filtered to: `?owner=` or `?system=`. */
export type TeamScope = { owner: string } | { system: string };

/** The scope the page's query parameters ask for; none without them (the whole overview). */
export function teamScopeOf(params: URLSearchParams): TeamScope | undefined {
  const owner = params.get('owner');
  if (owner) return { owner };
  const system = params.get('system');
  if (system) return { system };
  return undefined;
}

/** "owner platform", "system shop". */
export function describeTeamScope(scope: TeamScope): string {
  return 'owner' in scope ? `owner ${scope.owner}` : `system ${scope.system}`;
}

/** Whether a pipeline is one of those the scope's insights counted. */
export function inScope(
  pipelines: Array<{ namespace: string; name: string }>,
  pipeline: { namespace: string; name: string },
): boolean {
  return pipelines.some(
    p => p.namespace === pipeline.namespace && p.name === pipeline.name,
  );
}
