import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** Settings from `fluxPipelines.notifications`. */
export interface NotificationsConfig {
  /**
   * True: always on (the notifications backend may run elsewhere); false:
   * off; unset: on when the notifications backend is installed here.
   */
  enabled?: boolean;
  /** Users and groups told of every promotion waiting for approval, besides the owners. */
  approvers: string[];
}

/**
 * Reads `fluxPipelines.notifications`. Throws an InputError naming the key for
 * an approver that is not a `user:` or `group:` entity ref.
 */
export function readNotificationsConfig(config: Config): NotificationsConfig {
  const root = config.getOptionalConfig('fluxPipelines.notifications');
  const approvers = (root?.getOptionalStringArray('approvers') ?? []).map(
    ref => {
      let parsed;
      try {
        parsed = parseEntityRef(ref.trim());
      } catch {
        parsed = undefined;
      }
      const kind = parsed?.kind.toLocaleLowerCase('en-US');
      if (!parsed || (kind !== 'user' && kind !== 'group')) {
        throw new InputError(
          `fluxPipelines.notifications.approvers: '${ref}' is not a user: or group: entity ref`,
        );
      }
      return stringifyEntityRef(parsed);
    },
  );
  return {
    enabled: root?.getOptionalBoolean('enabled'),
    approvers: [...new Set(approvers)],
  };
}
