import { toRfc3339 } from '../clock';
import { DesiredRelease, sha256 } from './desiredRelease';

/** One entry of HelmRelease `status.history` (newest first, at most 5). */
export interface Snapshot {
  name: string;
  namespace: string;
  version: number;
  status: 'deployed' | 'superseded' | 'failed' | 'uninstalled';
  action: 'install' | 'upgrade' | 'rollback';
  chartName: string;
  chartVersion: string;
  appVersion: string;
  configDigest: string;
  digest: string;
  firstDeployed: string;
  lastDeployed: string;
  deleted?: string;
  testHooks?: Record<
    string,
    { lastStarted?: string; lastCompleted?: string; phase?: string }
  >;
  ociDigest?: string;
}

export const MAX_HISTORY = 5;

/**
 * Adds a new Helm release version on top, marking earlier deployed ones superseded. Like Helm, it
 * stamps `lastDeployed` when the release revision was created, i.e. when the action started
 * (`startedAt`, default `now`), not when it finished.
 */
export function pushRelease(
  history: Snapshot[],
  entry: Omit<
    Snapshot,
    | 'version'
    | 'digest'
    | 'firstDeployed'
    | 'lastDeployed'
    | 'name'
    | 'namespace'
  >,
  desired: DesiredRelease,
  now: number,
  startedAt: number = now,
): Snapshot[] {
  const version = (history[0]?.version ?? 0) + 1;
  const stamp = toRfc3339(startedAt);
  const firstDeployed = history[history.length - 1]?.firstDeployed ?? stamp;
  const snapshot: Snapshot = {
    name: desired.release.name,
    namespace: desired.release.namespace,
    version,
    ...entry,
    digest: `sha256:${sha256(
      `${desired.release.namespace}/${desired.release.name}.v${version}:${entry.chartVersion}:${entry.configDigest}`,
    )}`,
    firstDeployed: history.length ? firstDeployed : stamp,
    lastDeployed: stamp,
  };
  if (!snapshot.ociDigest) delete snapshot.ociDigest;
  const rest = history.map(s =>
    entry.status === 'deployed' && s.status === 'deployed'
      ? { ...s, status: 'superseded' as const }
      : s,
  );
  return [snapshot, ...rest].slice(0, MAX_HISTORY);
}

/** The newest release older than the latest that was deployed: what a rollback returns to. */
export function rollbackTarget(history: Snapshot[]): Snapshot | undefined {
  return history
    .slice(1)
    .find(s => s.status === 'deployed' || s.status === 'superseded');
}

export function testHooks(
  release: string,
  count: number,
  phase: 'Succeeded' | 'Failed',
  started: number,
  done: number,
) {
  const hooks: Snapshot['testHooks'] = {};
  for (let i = 0; i < Math.max(count, phase === 'Failed' ? 1 : 0); i++) {
    hooks[`${release}-test-${i === 0 ? 'connection' : `hook-${i}`}`] = {
      lastStarted: toRfc3339(started),
      lastCompleted: toRfc3339(done),
      phase: i === 0 ? phase : 'Succeeded',
    };
  }
  return hooks;
}
