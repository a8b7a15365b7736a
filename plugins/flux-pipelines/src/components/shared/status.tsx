import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import {
  DeploymentStatus,
  ExecutionEnvironmentState,
  ExecutionStatus,
  ObservationOutcome,
  PromotionState,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { ReactNode } from 'react';

/** Which of Backstage's status icons. */
export type StatusKind =
  | 'ok'
  | 'error'
  | 'pending'
  | 'running'
  | 'warning'
  | 'aborted';

/** A status to show: which icon and the words that say the same. */
export interface StatusInfo {
  kind: StatusKind;
  label: string;
}

const ICONS: Record<StatusKind, typeof StatusOK> = {
  ok: StatusOK,
  error: StatusError,
  pending: StatusPending,
  running: StatusRunning,
  warning: StatusWarning,
  aborted: StatusAborted,
};

/** A target's status, plus `unreachable` when its cluster is disconnected. */
export type TargetState = DeploymentStatus | 'unreachable';

export const TARGET_STATUS: Record<TargetState, StatusInfo> = {
  succeeded: { kind: 'ok', label: 'Succeeded' },
  failed: { kind: 'error', label: 'Failed' },
  progressing: { kind: 'running', label: 'Progressing' },
  'rolled-back': { kind: 'warning', label: 'Rolled back' },
  superseded: { kind: 'aborted', label: 'Superseded' },
  unknown: { kind: 'pending', label: 'Unknown' },
  unreachable: { kind: 'warning', label: 'Cluster unreachable' },
};

export const PROMOTION_STATUS: Record<PromotionState, StatusInfo> = {
  requested: { kind: 'running', label: 'Promotion requested' },
  'waiting-approval': { kind: 'pending', label: 'Waiting for approval' },
  'in-progress': { kind: 'running', label: 'Promoting' },
  'pr-open': { kind: 'running', label: 'Promoting: pull request open' },
  committed: { kind: 'running', label: 'Promoting: committed' },
  notified: { kind: 'running', label: 'Promoting: notified' },
  merged: { kind: 'running', label: 'Promoting: merged' },
  deployed: { kind: 'ok', label: 'Promoted' },
  failed: { kind: 'error', label: 'Promotion failed' },
  superseded: { kind: 'aborted', label: 'Promotion superseded' },
};

export const EXECUTION_STATUS: Record<ExecutionStatus, StatusInfo> = {
  waiting: { kind: 'pending', label: 'Waiting for promotion' },
  'awaiting-approval': { kind: 'pending', label: 'Waiting for approval' },
  deploying: { kind: 'running', label: 'Deploying' },
  succeeded: { kind: 'ok', label: 'Succeeded' },
  failed: { kind: 'error', label: 'Failed' },
  'rolled-back': { kind: 'warning', label: 'Rolled back' },
  superseded: { kind: 'aborted', label: 'Superseded' },
};

export const EXECUTION_ENVIRONMENT_STATUS: Record<
  ExecutionEnvironmentState,
  StatusInfo
> = {
  ...EXECUTION_STATUS,
  waiting: { kind: 'pending', label: 'Waiting' },
  skipped: { kind: 'warning', label: 'Skipped' },
};

export const OBSERVATION_OUTCOME: Record<ObservationOutcome, StatusInfo> = {
  succeeded: { kind: 'ok', label: 'Succeeded' },
  failed: { kind: 'error', label: 'Failed' },
  progressing: { kind: 'running', label: 'Progressing' },
  info: { kind: 'pending', label: 'Info' },
};

/**
 * A status icon alone, labelled for assistive technology and with the label
 * as tooltip: the colour is never the only cue.
 */
export const StatusIcon = ({ status }: { status: StatusInfo }) => {
  const Icon = ICONS[status.kind];
  return (
    <span role="img" aria-label={status.label} title={status.label}>
      <Icon />
    </span>
  );
};

/**
 * A status icon followed by its label in words, then `children` (e.g. the
 * version): "✓ Succeeded 6.6.0".
 */
export const StatusLabel = ({
  status,
  children,
}: {
  status: StatusInfo;
  children?: ReactNode;
}) => {
  const Icon = ICONS[status.kind];
  return (
    <span title={status.label}>
      <Icon />
      {status.label}
      {children !== undefined && children !== null && <> {children}</>}
    </span>
  );
};
