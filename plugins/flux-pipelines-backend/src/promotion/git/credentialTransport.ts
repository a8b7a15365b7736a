import { NotAllowedError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { PullRequestStrategySpec } from '@flux-pipelines/plugin-flux-pipelines-common';
import { parseBitbucketServerUrl } from '../scm/bitbucketServerUrl';
import { parseRepositoryUrl } from '../scm/repositoryUrl';
import { redactUrl } from './repositoryAccess';
import { isLoopbackHost } from './repositoryKey';

const RULE = 'fluxPipelines.promotion.allowInsecureHttp';

/**
 * Refuses, before any network I/O, to send a credential (integration token,
 * `secretRef` token, Basic or Bearer) anywhere but over https (or ssh, which
 * carries its own keys): plain http only to a loopback host, and only when
 * `allowInsecureHttp` is true. `what` names the credential's use in the
 * message.
 */
export function assertCredentialTransport(options: {
  url: string;
  allowInsecureHttp: boolean;
  what: string;
}): void {
  const { url, allowInsecureHttp, what } = options;
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed?.protocol === 'https:' || parsed?.protocol === 'ssh:') return;
  if (
    parsed?.protocol === 'http:' &&
    allowInsecureHttp &&
    isLoopbackHost(parsed.hostname)
  ) {
    return;
  }
  throw new NotAllowedError(
    `refused by ${RULE}: ${what} for ${redactUrl(
      url,
    )} would go over plain http; credentials go only over https or ssh (plain http only to a loopback host when ${RULE} is true)`,
  );
}

/**
 * The API base URL the pull-request provider for `spec` would call, looked
 * up as the providers do; undefined when no integration matches (the
 * provider then refuses on its own).
 */
export function pullRequestApiBaseUrl(
  spec: Pick<PullRequestStrategySpec, 'provider' | 'url'>,
  integrations: ScmIntegrationRegistry,
): string | undefined {
  try {
    if (spec.provider === 'bitbucket-server') {
      const { origin } = parseBitbucketServerUrl(spec.url);
      return integrations.bitbucketServer.byUrl(origin)?.config.apiBaseUrl;
    }
    const { origin, segments } = parseRepositoryUrl(spec.url);
    if (spec.provider === 'github') {
      return integrations.github.byUrl(`${origin}/${segments.join('/')}`)
        ?.config.apiBaseUrl;
    }
    return integrations.gitlab.byUrl(`${origin}/${segments.join('/')}`)?.config
      .apiBaseUrl;
  } catch {
    return undefined;
  }
}
