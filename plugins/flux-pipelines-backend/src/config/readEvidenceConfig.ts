import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  DEFAULT_OWNING_CONTROLLERS,
  OwnedKind,
  OwningControllers,
} from '../ingest/owningController';

/** Evidence settings from `fluxPipelines.evidence`. */
export interface EvidenceConfig {
  /** Per kind, the controllers whose events count. */
  controllers: OwningControllers;
  /** Clusters whose owning-controller events need no status confirmation. */
  eventOnlyClusters: Set<string>;
}

const KINDS: OwnedKind[] = ['HelmRelease', 'Kustomization'];

/**
 * Reads `fluxPipelines.evidence`; without it, only Flux's own controllers
 * speak for their kinds and every success waits for the object's status.
 * Throws an InputError for an empty controller list.
 */
export function readEvidenceConfig(config: Config): EvidenceConfig {
  const root = config.getOptionalConfig('fluxPipelines.evidence');
  const controllers = { ...DEFAULT_OWNING_CONTROLLERS };
  for (const kind of KINDS) {
    const names = root?.getOptionalStringArray(`controllers.${kind}`);
    if (names === undefined) continue;
    const clean = names.map(n => n.trim()).filter(Boolean);
    if (!clean.length) {
      throw new InputError(
        `fluxPipelines.evidence.controllers.${kind} must name at least one controller`,
      );
    }
    controllers[kind] = clean;
  }
  return {
    controllers,
    eventOnlyClusters: new Set(
      root?.getOptionalStringArray('eventOnlyClusters') ?? [],
    ),
  };
}
