import type {
  ObservationAction,
  ObservationOutcome,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { parseHelmMessage } from './parseHelmMessage';

export interface ActionOutcome {
  action: ObservationAction;
  outcome: ObservationOutcome;
}

const row = (
  action: ObservationAction,
  outcome: ObservationOutcome,
): ActionOutcome => ({ action, outcome });

/** Event reason → what happened (FLUX.md §1 and §2). */
export const REASONS: Readonly<Record<string, ActionOutcome>> = {
  // helm-controller v2 / v2beta2
  InstallSucceeded: row('install', 'succeeded'),
  InstallFailed: row('install', 'failed'),
  UpgradeSucceeded: row('upgrade', 'succeeded'),
  UpgradeFailed: row('upgrade', 'failed'),
  TestSucceeded: row('test', 'succeeded'),
  TestFailed: row('test', 'failed'),
  RollbackSucceeded: row('rollback', 'succeeded'),
  RollbackFailed: row('rollback', 'failed'),
  UninstallSucceeded: row('uninstall', 'succeeded'),
  UninstallFailed: row('uninstall', 'failed'),
  DriftDetected: row('drift', 'info'),
  DriftCorrected: row('drift', 'succeeded'),
  DriftCorrectionFailed: row('drift', 'failed'),
  ArtifactFailed: row('other', 'failed'),
  ValuesError: row('other', 'failed'),
  AccessDenied: row('other', 'failed'),
  InitFailed: row('other', 'failed'),
  GetLastReleaseFailed: row('other', 'failed'),
  RetriesExceeded: row('other', 'failed'),
  DependencyNotReady: row('other', 'info'),
  // both controllers
  Progressing: row('progress', 'progressing'),
  ReconciliationFailed: row('reconcile', 'failed'),
  // kustomize-controller
  ReconciliationSucceeded: row('reconcile', 'succeeded'),
  HealthCheckFailed: row('reconcile', 'failed'),
  BuildFailed: row('reconcile', 'failed'),
  PruneFailed: row('reconcile', 'failed'),
};

/** Trace reasons: Normal events about helper objects, never observations. */
export function isTraceReason(reason: string): boolean {
  return reason.startsWith('HelmChart');
}

/** Legacy (helm-controller ≤ v0.36, kustomize v1beta) severity reasons. */
export function isLegacyReason(reason: string): boolean {
  return reason === 'info' || reason === 'error';
}

/** Reads a legacy Kustomization message. */
function kustomizationFromMessage(message: string): ActionOutcome | undefined {
  const head = message.slice(0, 512);
  if (/^Reconciliation finished\b/.test(head))
    return row('reconcile', 'succeeded');
  if (/^Health check passed\b/.test(head)) return row('reconcile', 'succeeded');
  if (/^health check failed\b/i.test(head)) return row('reconcile', 'failed');
  return undefined;
}

/**
 * Decides action and outcome of an event: the reason table first; for legacy
 * `info`/`error` reasons and unknown reasons, the message; last, the
 * severity (`Warning`/`error` → failed, else info).
 */
export function classify(
  kind: 'HelmRelease' | 'Kustomization',
  reason: string,
  message: string,
  severity: 'warning' | 'normal' | undefined,
): ActionOutcome {
  // Own keys only: a reason such as `__proto__` or `constructor` is unknown.
  const known = Object.prototype.hasOwnProperty.call(REASONS, reason)
    ? REASONS[reason]
    : undefined;
  if (known) {
    if (kind === 'HelmRelease' && known.action === 'reconcile') {
      return row('other', known.outcome);
    }
    return known;
  }
  const fromMessage =
    kind === 'HelmRelease'
      ? parseHelmMessage(message)
      : kustomizationFromMessage(message);
  if (fromMessage?.action && fromMessage.outcome) {
    return row(fromMessage.action, fromMessage.outcome);
  }
  const failed = reason === 'error' || severity === 'warning';
  return row(
    kind === 'Kustomization' ? 'reconcile' : 'other',
    failed ? 'failed' : 'info',
  );
}
