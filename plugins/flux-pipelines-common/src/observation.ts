/** Where an observation came from. */
export type ObservationSource =
  | 'event' // core/v1 Event
  | 'events.k8s.io' // events.k8s.io/v1 Event
  | 'webhook' // notification-controller generic / generic-hmac webhook
  | 'status'; // a HelmRelease / Kustomization status snapshot

/** What the controller did. */
export type ObservationAction =
  | 'install'
  | 'upgrade'
  | 'test'
  | 'rollback'
  | 'uninstall'
  | 'reconcile' // Kustomization apply / generic reconciliation
  | 'drift'
  | 'progress' // a release started or is running (Reconciling/Progressing)
  | 'other';

/** How it ended; `progressing` while running, `info` when it says nothing of success. */
export type ObservationOutcome =
  | 'succeeded'
  | 'failed'
  | 'progressing'
  | 'info';

/**
 * One canonical fact about a Flux object, whatever input it came from: a
 * Kubernetes Event (either API), a notification-controller webhook or a status
 * snapshot. The normaliser produces these; the correlator consumes them.
 */
export interface Observation {
  cluster: string;
  namespace: string;
  kind: 'HelmRelease' | 'Kustomization';
  name: string;
  /** The Flux object's uid, when known. */
  uid?: string;
  /** Chart version for a HelmRelease (for a rollback: the version rolled back to); source revision for a Kustomization. */
  chartVersion?: string;
  appVersion?: string;
  /** OCI digest, or the values digest (`sha256:...`) when no OCI digest is known. */
  digest?: string;
  /**
   * Where the change came from, when the input names it apart from the
   * version: a Kustomization's `originRevision` (the git commit an OCI
   * artifact was built from) or a chart's OCI digest (`sha256:...`). Only
   * what parses as a source revision.
   */
  sourceRevision?: string;
  /** Values/config digest (`helm.toolkit.fluxcd.io/token`). */
  configDigest?: string;
  action: ObservationAction;
  outcome: ObservationOutcome;
  /** The event reason, e.g. `UpgradeSucceeded`. */
  reason: string;
  message: string;
  /** When it happened (ISO 8601). */
  time: string;
  /**
   * The Helm release revision (`<ns>/<name>.v<N>` in messages, `status.history[].version`),
   * when known. Links an event to its status history entry.
   */
  releaseRevision?: number;
  /** How long the action took, in milliseconds, when the input says. */
  durationMs?: number;
  source: ObservationSource;
  /**
   * A key that is the same for the same occurrence seen twice (e.g. the
   * Event's uid + count, or a hash of a webhook body), for de-duplication.
   */
  dedupKey: string;
}
