import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { z } from 'zod';

/**
 * One entry of `fluxPipelines.promotion.repositories`. Written as a plain
 * string it has no `branches` nor `paths`: a config-defined pipeline may
 * write to it (as before), a cluster-defined one may not.
 */
export interface RepositoryRule {
  url: string;
  /** Branch globs a cluster-defined pipeline may write to; none when absent. */
  branches?: string[];
  /** File path globs (repository-relative) a cluster-defined pipeline may edit; none when absent. */
  paths?: string[];
}

/** Where promotions may write, from `fluxPipelines.promotion`. */
export interface DestinationConfig {
  repositories: RepositoryRule[];
  /** The fields a cluster-defined pipeline's `field` may name. */
  versionFields: string[];
  /** Credentials may go over plain http to a loopback host (demos, tests). */
  allowInsecureHttp: boolean;
}

/** The version fields of HelmRelease (chart) and OCIRepository/GitRepository (ref) objects. */
export const DEFAULT_VERSION_FIELDS = [
  'spec.chart.spec.version',
  'spec.ref.tag',
  'spec.ref.semver',
];

const globs = z.array(z.string().min(1)).optional();
const entry = z.union([
  z.string().min(1),
  z.object({ url: z.string().min(1), branches: globs, paths: globs }).strict(),
]);

/** Reads the destination rules; throws an InputError for unusable ones. */
export function readDestinationConfig(config: Config): DestinationConfig {
  const root = config.getOptionalConfig('fluxPipelines.promotion');
  const parsed = z
    .array(entry)
    .optional()
    .safeParse(root?.getOptional('repositories'));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(
      `fluxPipelines.promotion.repositories[${issue.path.join(
        '.',
      )}]: each entry is a URL, or { url, branches?, paths? }`,
    );
  }
  return {
    repositories: (parsed.data ?? []).map(e =>
      typeof e === 'string' ? { url: e } : e,
    ),
    versionFields:
      root?.getOptionalStringArray('versionFields') ?? DEFAULT_VERSION_FIELDS,
    allowInsecureHttp: root?.getOptionalBoolean('allowInsecureHttp') ?? false,
  };
}
