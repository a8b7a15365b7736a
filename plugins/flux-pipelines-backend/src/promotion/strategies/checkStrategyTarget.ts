import { ScmIntegrationRegistry } from '@backstage/integration';
import {
  Pipeline,
  PromotionStrategySpec,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import {
  assertCredentialTransport,
  pullRequestApiBaseUrl,
} from '../git/credentialTransport';
import { DestinationPolicy } from '../git/DestinationPolicy';

/** Options of {@link checkStrategyTarget}. */
export interface StrategyTargetCheckOptions {
  destinations: DestinationPolicy;
  integrations: ScmIntegrationRegistry;
  /** The integrations' hosts written in app-config. */
  integrationHosts: ReadonlySet<string>;
}

/**
 * What can be refused about a promotion before it is recorded, so that a
 * request (or preview) answers 403 naming the rule instead of a promotion
 * failing later: the version, the destination rules for the repository,
 * branch, field and configured path, and credentials over plain http (git
 * to a repository that would get the integration's or `secretRef`'s token,
 * and the pull-request API). The strategies check all of it again, and the
 * files the change touches, before they push.
 */
export function checkStrategyTarget(
  options: StrategyTargetCheckOptions,
  pipeline: Pipeline,
  spec: PromotionStrategySpec,
  version: string,
): void {
  if (spec.type === 'notification') return;
  const { destinations, integrations } = options;
  const branch = spec.type === 'commit' ? spec.branch : spec.baseBranch;
  destinations.checkDestination(
    pipeline,
    { url: spec.url, branch, selector: spec },
    version,
  );
  if (
    /^http:/i.test(spec.url) &&
    (spec.secretRef || hasIntegration(options, spec.url))
  ) {
    assertCredentialTransport({
      url: spec.url,
      allowInsecureHttp: destinations.allowInsecureHttp,
      what: 'the git credentials',
    });
  }
  if (spec.type === 'pull-request') {
    const apiBaseUrl = pullRequestApiBaseUrl(spec, integrations);
    if (apiBaseUrl) {
      assertCredentialTransport({
        url: apiBaseUrl,
        allowInsecureHttp: destinations.allowInsecureHttp,
        what: `the ${spec.provider} API token`,
      });
    }
  }
}

function hasIntegration(options: StrategyTargetCheckOptions, url: string) {
  try {
    return (
      Boolean(options.integrations.byUrl(url)) &&
      options.integrationHosts.has(new URL(url).host)
    );
  } catch {
    return false;
  }
}
