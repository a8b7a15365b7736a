import type { Observation } from '@flux-pipelines/plugin-flux-pipelines-common';
import { statusDedupKey } from './dedup';
import { ObjectHeader, objectFields } from './objectHeader';
import {
  field,
  firstTime,
  int,
  isObj,
  k8sName,
  str,
  truncateMessage,
} from './values';

/** What the Helm test hooks of one `status.history[]` entry say. */
export interface TestHooks {
  /** Names of the hooks whose phase is `Failed`. */
  failed: string[];
  /** When the last hook completed (or started, when it never completed). */
  completedAt?: string;
}

/** Reads an entry's `testHooks`; undefined when it has none (tests disabled or not run). */
export function readTestHooks(snapshot: unknown): TestHooks | undefined {
  const hooks = field(snapshot, 'testHooks');
  if (!isObj(hooks)) return undefined;
  const entries = Object.entries(hooks).slice(0, 100);
  if (!entries.length) return undefined;
  const failed = entries
    .filter(([, hook]) => str(field(hook, 'phase'), 32) === 'Failed')
    .map(([name]) => name);
  const times = entries
    .map(([, hook]) =>
      firstTime(field(hook, 'lastCompleted'), field(hook, 'lastStarted')),
    )
    .filter((t): t is string => !!t)
    .sort();
  const completedAt = times[times.length - 1];
  return { failed, ...(completedAt ? { completedAt } : {}) };
}

/**
 * A snapshot whose Helm test hooks failed → a `test` failure of that version,
 * at the time the last hook completed. Events expire after an hour; this
 * keeps a test failure that happened while nothing watched from counting as
 * deployed.
 */
export function testFailure(
  s: unknown,
  h: ObjectHeader,
  cluster: string,
): Observation | undefined {
  const tests = readTestHooks(s);
  const version = int(field(s, 'version'));
  const chartVersion = str(field(s, 'chartVersion'));
  if (!tests?.failed.length || !tests.completedAt) return undefined;
  if (version === undefined || !chartVersion) return undefined;
  const relNs = k8sName(field(s, 'namespace')) ?? h.namespace;
  const relName = k8sName(field(s, 'name')) ?? h.name;
  const chartName = str(field(s, 'chartName')) ?? '?';
  return {
    ...objectFields(h, 'HelmRelease', cluster),
    action: 'test',
    outcome: 'failed',
    reason: 'TestFailed',
    message: truncateMessage(
      `Helm test failed for release ${relNs}/${relName}.v${version} with chart ${chartName}@${chartVersion}: ` +
        `test hook(s) ${tests.failed.join(', ')} failed`,
    ),
    time: tests.completedAt,
    source: 'status',
    releaseRevision: version,
    chartVersion,
    dedupKey: statusDedupKey(
      cluster,
      h.namespace,
      h.name,
      version,
      'test-failed',
    ),
  };
}
