/**
 * A deploy window: it opens each time `start` (a 5-field cron expression,
 * minute hour day-of-month month day-of-week, in the set's time zone)
 * matches, and stays open for `duration` (a Go duration such as `8h` or
 * `30m`).
 */
export interface DeployWindow {
  start: string;
  duration: string;
}

/**
 * When promotions into an environment may happen: inside one of the `allow`
 * windows (any time when there are none), and never inside a `deny` window
 * (a freeze).
 */
export interface DeployWindows {
  /** IANA time zone of the cron expressions, e.g. `Europe/Berlin`. Default `UTC`. */
  timeZone: string;
  allow?: DeployWindow[];
  deny?: DeployWindow[];
}

/**
 * The health gate: the previous environment's targets run the version,
 * Ready, and (with `canary`) its Flagger canaries there succeeded.
 */
export interface HealthGate {
  /** Require a `Succeeded` canary analysis of the version where a canary follows the app. */
  canary?: boolean;
  /** With `canary`: every target must have a canary verdict (else the gate waits). */
  required?: boolean;
  /**
   * Flux or Flagger objects in the previous environment that must be healthy
   * too (see {@link HealthObject}); only the objects listed here count.
   */
  objects?: HealthObject[];
}

/**
 * An object a health gate watches in the previous environment, on the
 * cluster of each of its targets: a Kustomization (Ready, its last health
 * check passed), a HelmRelease (Ready) or a Flagger Canary (`Succeeded` for
 * the version). `namespace` defaults to the target's namespace.
 */
export interface HealthObject {
  kind: 'Kustomization' | 'HelmRelease' | 'Canary';
  name: string;
  namespace?: string;
}

/**
 * The gates of promotions into one environment, after app-config and the
 * Pipeline object were combined (each gate the stricter of both).
 */
export interface GatesSpec {
  /**
   * Go duration the version must have run successfully on every target of
   * the previous environment (and still run there) before it moves on.
   */
  soak?: string;
  /** Health of the version in the previous environment (see {@link HealthGate}). */
  health?: HealthGate;
  /** Every set must allow the promotion (app-config's and the Pipeline's). */
  windows?: DeployWindows[];
}

/** A gate's verdict on promoting one version into one environment now. */
export type GateState = 'passed' | 'waiting' | 'failed';

/** One gate's state, as the card shows it and a refusal names it. */
export interface GateStatus {
  /** The gate's key in the `gates` settings, e.g. `soak` or `windows`. */
  gate: string;
  state: GateState;
  /** For people: "soak 22 of 30 min in test", "outside window until Mon 09:00 Europe/Berlin". */
  reason: string;
  /** When a waiting gate changes on its own (RFC 3339). */
  until?: string;
}
