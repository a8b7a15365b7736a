import {
  CLUSTER,
  HELM_ROWS,
  LEGACY_WEBHOOK_4453,
  coreEvent,
  helmAnnotations,
  kustomizationEvent,
  webhookBody,
} from './__fixtures__/events';
import {
  HR_V2,
  HR_V2BETA1,
  HR_V2BETA2_FAILED,
  HR_V2_PROGRESSING,
} from './__fixtures__/helmReleases';
import { normalise } from './normalise';
import { normaliseCoreEvent } from './normaliseCoreEvent';
import { normaliseEventsV1 } from './normaliseEventsV1';
import { normaliseHelmReleaseStatus } from './normaliseHelmReleaseStatus';
import { normaliseKustomizationStatus } from './normaliseKustomizationStatus';
import { normaliseWebhook } from './normaliseWebhook';
import { NormaliseResult } from './types';
import { MAX_MESSAGE_CHARS } from './values';

/** mulberry32: a tiny seeded PRNG, so failures reproduce. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ctx = { cluster: CLUSTER };
const row = HELM_ROWS.find(r => r.reason === 'UpgradeFailed')!;
const SEEDS: unknown[] = [
  coreEvent({ ...row, annotations: helmAnnotations('6.6.1') }),
  coreEvent({
    reason: 'UpgradeSucceeded',
    message: `(combined from similar events): ${HELM_ROWS[2].message}`,
  }),
  kustomizationEvent(
    'ReconciliationSucceeded',
    'Normal',
    'Reconciliation finished in 1s, next run in 10m0s',
    'main@sha1:abc',
  ),
  {
    apiVersion: 'events.k8s.io/v1',
    regarding: coreEvent(row).involvedObject,
    note: row.message,
    reason: row.reason,
    type: 'Warning',
    series: { count: 2, lastObservedTime: '2024-05-02T10:15:30Z' },
    metadata: { name: 'e', namespace: 'apps' },
  },
  webhookBody({ ...row, metadata: { revision: '6.6.1' } }),
  LEGACY_WEBHOOK_4453,
  HR_V2,
  HR_V2_PROGRESSING,
  HR_V2BETA2_FAILED,
  HR_V2BETA1,
];

function deep(depth: number): unknown {
  let v: unknown = { end: true };
  for (let i = 0; i < depth; i++) v = { involvedObject: v, status: v };
  return v;
}

function randomValue(r: () => number): unknown {
  const pick = Math.floor(r() * 14);
  switch (pick) {
    case 0:
      return null;
    case 1:
      return undefined;
    case 2:
      return Math.floor(r() * 1e6) - 5e5;
    case 3:
      return r() < 0.5 ? NaN : Infinity;
    case 4:
      return r() < 0.5;
    case 5:
      return [];
    case 6:
      return {};
    case 7:
      return 'x'.repeat(Math.floor(r() * 200_000));
    case 8:
      return deep(2000);
    case 9:
      return '2024-02-30T25:61:00Z';
    case 10:
      return '(combined from similar events): Helm upgrade succeeded for release a/b.v99999999999 with chart c@';
    case 11:
      return `Helm upgrade failed for release ${'a/'.repeat(
        5000,
      )} with chart ${'@'.repeat(5000)}`;
    case 12:
      return [
        '__proto__',
        'constructor',
        'toString',
        'HelmRelease',
        'Kustomization',
        'info',
        'error',
      ][Math.floor(r() * 7)];
    default:
      return [1, 'two', { three: 3 }];
  }
}

/** All [parent, key] pairs of a JSON-ish value, to pick a mutation site from. */
function sites(
  v: unknown,
  out: Array<[Record<string, unknown>, string]> = [],
  depth = 0,
): Array<[Record<string, unknown>, string]> {
  if (depth > 8 || typeof v !== 'object' || v === null) return out;
  for (const k of Object.keys(v)) {
    out.push([v as Record<string, unknown>, k]);
    sites((v as Record<string, unknown>)[k], out, depth + 1);
  }
  return out;
}

function mutate(seed: unknown, r: () => number): unknown {
  const v = JSON.parse(JSON.stringify(seed));
  const n = 1 + Math.floor(r() * 4);
  for (let i = 0; i < n; i++) {
    const all = sites(v);
    if (all.length === 0) break;
    const [parent, key] = all[Math.floor(r() * all.length)];
    if (r() < 0.25) delete parent[key];
    else parent[key] = randomValue(r);
  }
  return r() < 0.03 ? randomValue(r) : v;
}

function check(res: NormaliseResult) {
  expect(typeof res.ok).toBe('boolean');
  if (!res.ok) {
    expect(res.reason).not.toMatch(/^internal error/);
    return;
  }
  for (const o of res.observations) {
    expect(Number.isNaN(Date.parse(o.time))).toBe(false);
    expect(o.message.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS + 64);
    expect(typeof o.dedupKey).toBe('string');
    expect(['HelmRelease', 'Kustomization']).toContain(o.kind);
  }
}

describe('normalisers under random input', () => {
  it('2,000 mutated inputs never throw and never hit an internal error', () => {
    const r = prng(0x5eed);
    const fns = [
      normalise,
      normaliseCoreEvent,
      normaliseEventsV1,
      normaliseWebhook,
      normaliseHelmReleaseStatus,
      normaliseKustomizationStatus,
    ];
    let accepted = 0;
    for (let i = 0; i < 2000; i++) {
      const input = mutate(SEEDS[i % SEEDS.length], r);
      for (const fn of fns) {
        const res = fn(input, ctx);
        check(res);
        if (fn === normalise && res.ok && res.observations.length) accepted++;
      }
    }
    // Most mutations leave a readable input: the fuzz is not all rejections.
    expect(accepted).toBeGreaterThan(400);
  });
});
