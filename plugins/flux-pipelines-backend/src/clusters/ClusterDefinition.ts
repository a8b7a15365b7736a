import { inspect } from 'node:util';

/**
 * A secret value (a token or HMAC key) that does not show up in logs, JSON or
 * error messages by accident: only {@link Secret.reveal} returns it.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '<redacted>';
  }

  toJSON(): string {
    return '<redacted>';
  }

  [inspect.custom](): string {
    return '<redacted>';
  }
}

/** Which Kubernetes Event APIs to watch on a cluster. */
export type EventApi = 'core' | 'events.k8s.io';

/** How the backend authenticates to a cluster. */
export type ClusterAuth =
  | { type: 'serviceAccount'; token: Secret }
  | {
      /** A context of a local kubeconfig file (development). */
      type: 'kubeconfig';
      path: string;
      context: string;
    };

/** Where a cluster definition came from (the last source that touched it). */
export type ClusterSource = 'kubernetes' | 'kubeconfig' | 'fluxPipelines';

/** One cluster the backend watches. */
export interface ClusterDefinition {
  name: string;
  /** API server URL. */
  url: string;
  auth: ClusterAuth;
  /** PEM CA certificate, base64-encoded (as in a kubeconfig). */
  caData?: string;
  caFile?: string;
  skipTLSVerify: boolean;
  /** Event APIs to watch; default `['core']`. */
  eventApis: EventApi[];
  /** Key for notification-controller webhooks from this cluster. */
  webhookHmacKey?: Secret;
  source: ClusterSource;
}
