import { ManualClock } from '../clock';
import { ResourceStore } from '../store/ResourceStore';
import { RESOURCE_TYPES } from '../store/resourceTypes';
import { StoreChange } from '../store/types';
import { EventRecorder } from './EventRecorder';

const EVENTS = RESOURCE_TYPES.find(t => t.kind === 'Event' && !t.group)!;
const hr = {
  apiVersion: 'helm.toolkit.fluxcd.io/v2',
  kind: 'HelmRelease',
  metadata: {
    name: 'podinfo',
    namespace: 'dev',
    uid: 'u-1',
    resourceVersion: '7',
  },
};

function setup() {
  const clock = new ManualClock();
  const store = new ResourceStore({ clock });
  const changes: StoreChange[] = [];
  store.subscribe(c => changes.push(c));
  const recorder = new EventRecorder({
    store,
    clock,
    component: 'helm-controller',
  });
  const record = (message: string, annotations?: Record<string, string>) =>
    recorder.record(hr, 'helm.toolkit.fluxcd.io/v2', {
      type: 'Warning',
      reason: 'UpgradeFailed',
      message,
      annotations,
    });
  return {
    clock,
    store,
    changes,
    record,
    events: () => store.list(EVENTS, 'dev'),
  };
}

describe('EventRecorder', () => {
  it('gives Events of two controllers about same-named objects, in the same millisecond, names of their own', () => {
    // helm-controller about HelmRelease test/podinfo and Flagger about
    // Canary test/podinfo, each with its own recorder, at the same instant.
    const t = setup();
    const flagger = new EventRecorder({
      store: t.store,
      clock: t.clock,
      component: 'flagger',
    });
    const canary = {
      apiVersion: 'flagger.app/v1beta1',
      kind: 'Canary',
      metadata: { ...hr.metadata, uid: 'u-2' },
    };
    t.record('boom');
    expect(() =>
      flagger.record(canary, 'flagger.app/v1beta1', {
        type: 'Normal',
        reason: 'Synced',
        message: 'Starting canary analysis for podinfo.dev',
      }),
    ).not.toThrow();
    expect(t.events().map(e => [e.involvedObject.kind, e.reason])).toEqual(
      expect.arrayContaining([
        ['HelmRelease', 'UpgradeFailed'],
        ['Canary', 'Synced'],
      ]),
    );
    expect(new Set(t.events().map(e => e.metadata.name)).size).toBe(2);
  });

  it('turns an identical event into count+1 on the same Event (a MODIFIED watch event)', async () => {
    const t = setup();
    t.record('boom', { 'helm.toolkit.fluxcd.io/revision': '6.5.1' });
    await t.clock.advance(30_000);
    t.record('boom', { 'helm.toolkit.fluxcd.io/revision': '6.5.1' });
    expect(t.changes.map(c => c.type)).toEqual(['ADDED', 'MODIFIED']);
    const [event] = t.events();
    expect(event).toMatchObject({
      count: 2,
      firstTimestamp: '2026-01-01T00:00:00Z',
      lastTimestamp: '2026-01-01T00:00:30Z',
      source: { component: 'helm-controller' },
      involvedObject: {
        kind: 'HelmRelease',
        name: 'podinfo',
        uid: 'u-1',
        apiVersion: 'helm.toolkit.fluxcd.io/v2',
      },
      metadata: { annotations: { 'helm.toolkit.fluxcd.io/revision': '6.5.1' } },
    });
    expect(t.changes[1].object.metadata.name).toBe(
      t.changes[0].object.metadata.name,
    );
  });

  it('combines the 10th different message for one object and reason, without annotations', () => {
    const t = setup();
    for (let i = 1; i <= 11; i++)
      t.record(`failure ${i}`, {
        'helm.toolkit.fluxcd.io/revision': `6.5.${i}`,
      });
    const events = t.events();
    expect(events).toHaveLength(10);
    const combined = events.filter(e =>
      e.message.startsWith('(combined from similar events): '),
    );
    expect(combined).toHaveLength(1);
    expect(combined[0]).toMatchObject({
      message: '(combined from similar events): failure 11',
      count: 2,
    });
    expect(combined[0].metadata.annotations).toBeUndefined();
  });

  it('drops events beyond a burst of 25 per object, then allows one per 5 minutes', async () => {
    const t = setup();
    const recorder = new EventRecorder({
      store: t.store,
      clock: t.clock,
      component: 'helm-controller',
      aggregateMaxEvents: 1000,
    });
    const send = (i: number) =>
      recorder.record(hr, 'helm.toolkit.fluxcd.io/v2', {
        type: 'Normal',
        reason: `R${i}`,
        message: `m${i}`,
      });
    const written = Array.from({ length: 30 }, (_, i) => send(i)).filter(
      Boolean,
    );
    expect(written).toHaveLength(25);
    await t.clock.advance(60_000);
    expect(send(100)).toBeUndefined();
    await t.clock.advance(240_000);
    expect(send(101)).toBeDefined();
    expect(send(102)).toBeUndefined();
  });

  it('writes a new Event when the old one expired', async () => {
    const t = setup();
    t.store.eventTtlMs = 60_000;
    t.record('boom');
    await t.clock.advance(61_000);
    t.store.sweepExpired();
    expect(t.events()).toHaveLength(0);
    t.record('boom');
    expect(t.events()).toEqual([
      expect.objectContaining({ count: 2, message: 'boom' }),
    ]);
  });
});
