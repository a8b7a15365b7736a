import {
  CLUSTER,
  HELM_ROWS,
  LEGACY_WEBHOOK_4453,
  coreEvent,
  webhookBody,
} from './__fixtures__/events';
import { HR_V2 } from './__fixtures__/helmReleases';
import { detectShape, normalise } from './normalise';

const ctx = { cluster: CLUSTER };
const row = HELM_ROWS.find(r => r.reason === 'UpgradeSucceeded')!;

describe('normalise', () => {
  it('dispatches by shape', () => {
    const core = coreEvent(row);
    const { apiVersion: _a, kind: _k, ...listedCore } = core;
    expect(detectShape(core)).toBe('core-event');
    expect(detectShape(listedCore)).toBe('core-event');
    expect(detectShape(webhookBody(row))).toBe('webhook');
    expect(detectShape(LEGACY_WEBHOOK_4453)).toBe('webhook');
    expect(detectShape({ apiVersion: 'events.k8s.io/v1', regarding: {} })).toBe(
      'events.k8s.io',
    );
    expect(detectShape(HR_V2)).toBe('helmrelease');
    expect(detectShape({ kind: 'Kustomization' })).toBe('kustomization');
    expect(detectShape({ kind: 'Pod' })).toBe('unknown');
    expect(detectShape(7)).toBe('unknown');
  });

  it('gives each input its source', () => {
    const src = (input: unknown) => {
      const r = normalise(input, ctx);
      return r.ok ? r.observations.map(o => o.source) : r.reason;
    };
    expect(src(coreEvent(row))).toEqual(['event']);
    expect(src(webhookBody(row))).toEqual(['webhook']);
    expect(src(HR_V2)).toEqual(['status', 'status', 'status']);
  });

  it('rejects unknown shapes naming the object when it can', () => {
    expect(
      normalise(
        { kind: 'Pod', metadata: { namespace: 'apps', name: 'web-0' } },
        ctx,
      ),
    ).toEqual({
      ok: false,
      reason: 'unknown input shape',
      object: 'apps/web-0',
    });
    expect(normalise(undefined, ctx)).toEqual({
      ok: false,
      reason: 'unknown input shape',
    });
  });
});
