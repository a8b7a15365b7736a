import {
  CLUSTER,
  HELM_ROWS,
  coreEvent,
  helmAnnotations,
} from './__fixtures__/events';
import { occurrenceKey } from './dedup';
import { normaliseCoreEvent } from './normaliseCoreEvent';
import { normaliseEventsV1 } from './normaliseEventsV1';

const ctx = { cluster: CLUSTER };

/** The events.k8s.io/v1 view of a core/v1 Event (FLUX.md §3). */
function asEventsV1(
  e: ReturnType<typeof coreEvent>,
  extra: Record<string, unknown> = {},
) {
  return {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: e.metadata,
    regarding: e.involvedObject,
    note: e.message,
    reason: e.reason,
    type: e.type,
    action: 'Upgrade',
    eventTime: '2024-05-02T10:15:30.500000Z',
    reportingController: 'helm-controller',
    reportingInstance: e.reportingInstance,
    deprecatedCount: e.count,
    deprecatedFirstTimestamp: e.firstTimestamp,
    deprecatedLastTimestamp: e.lastTimestamp,
    deprecatedSource: e.source,
    ...extra,
  };
}

describe('normaliseEventsV1', () => {
  const row = HELM_ROWS.find(r => r.reason === 'UpgradeSucceeded')!;
  const core = coreEvent({ ...row, annotations: helmAnnotations('6.6.1') });

  it('maps regarding/note/deprecatedCount to the same observation as the core Event', () => {
    const r = normaliseEventsV1(asEventsV1(core), ctx);
    const c = normaliseCoreEvent(core, ctx);
    if (!r.ok || !c.ok) throw new Error('rejected');
    const [v1] = r.observations;
    expect(v1).toMatchObject({
      source: 'events.k8s.io',
      action: 'upgrade',
      outcome: 'succeeded',
      chartVersion: '6.6.1',
      message: row.message,
      name: 'podinfo',
    });
    expect(v1.time).toBe(c.observations[0].time);
    expect(v1.dedupKey).toBe(c.observations[0].dedupKey);
    expect(occurrenceKey(v1)).toBe(occurrenceKey(c.observations[0]));
  });

  it('a series wins for time and count (the note stays the first one)', () => {
    const r = normaliseEventsV1(
      asEventsV1(core, {
        series: { count: 7, lastObservedTime: '2024-05-02T10:45:00.000000Z' },
      }),
      ctx,
    );
    expect(r).toMatchObject({
      ok: true,
      observations: [
        {
          time: '2024-05-02T10:45:00.000Z',
          dedupKey: `event:${CLUSTER}/apps/podinfo.17cb1a2b3c4d5e6f/7`,
          message: row.message,
        },
      ],
    });
  });

  it('a series of a legacy failure keeps the first annotations: no version, an upgrade failure of the attempt then running', () => {
    const legacy = coreEvent({
      reason: 'error',
      type: 'Warning',
      message: 'Helm upgrade failed: context deadline exceeded',
      annotations: helmAnnotations('6.6.0'),
    });
    const r = normaliseEventsV1(
      asEventsV1(legacy, {
        series: { count: 3, lastObservedTime: '2024-05-02T10:45:00.000000Z' },
      }),
      ctx,
    );
    if (!r.ok) throw new Error(r.reason);
    expect(r.observations[0]).toMatchObject({
      action: 'upgrade',
      outcome: 'failed',
      time: '2024-05-02T10:45:00.000Z',
    });
    expect(r.observations[0].chartVersion).toBeUndefined();
  });

  it('without deprecated fields it uses eventTime', () => {
    const e = asEventsV1(core, {
      deprecatedLastTimestamp: undefined,
      deprecatedFirstTimestamp: undefined,
      deprecatedCount: undefined,
    });
    expect(normaliseEventsV1(e, ctx)).toMatchObject({
      ok: true,
      observations: [
        {
          time: '2024-05-02T10:15:30.500Z',
          dedupKey: expect.stringMatching(/\/1$/),
        },
      ],
    });
  });

  it('a missing note is an empty message, a missing regarding is rejected', () => {
    const noNote = asEventsV1(
      coreEvent({ reason: 'DriftDetected', message: '' }),
      { note: undefined },
    );
    expect(normaliseEventsV1(noNote, ctx)).toMatchObject({
      ok: true,
      observations: [{ message: '', action: 'drift' }],
    });
    expect(
      normaliseEventsV1({ ...asEventsV1(core), regarding: 'x' }, ctx),
    ).toMatchObject({ ok: false });
  });
});
