import { ManualClock } from '../clock';
import { ApiError } from './ApiError';
import { ResourceStore } from './ResourceStore';
import { RESOURCE_TYPES } from './resourceTypes';
import { StoreChange } from './types';

const EVENTS = RESOURCE_TYPES.find(t => t.kind === 'Event' && !t.group)!;
const HR = RESOURCE_TYPES.find(t => t.kind === 'HelmRelease')!;
const SECRETS = RESOURCE_TYPES.find(t => t.kind === 'Secret')!;
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('ResourceStore', () => {
  it('gives every write a higher resourceVersion and bumps generation only for spec changes', () => {
    const store = new ResourceStore({ clock: new ManualClock() });
    const created = store.create(HR, {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      metadata: { name: 'a', namespace: 'dev' },
      spec: { x: 1 },
    });
    const status = store.update(
      HR,
      { ...created, status: { ready: true } },
      { subresource: 'status' },
    );
    expect(Number(status.metadata.resourceVersion)).toBeGreaterThan(
      Number(created.metadata.resourceVersion),
    );
    expect(status.metadata.generation).toBe(1);
    const spec = store.update(HR, {
      ...status,
      spec: { x: 2 },
      status: { ignored: true },
    });
    expect(spec.metadata.generation).toBe(2);
    expect(spec.status).toEqual({ ready: true });
    const same = store.update(HR, spec);
    expect(same.metadata.resourceVersion).toBe(spec.metadata.resourceVersion);
    expect(() => store.update(HR, created)).toThrow(ApiError);
  });

  it('deletes events when their TTL passes, with a DELETED change', async () => {
    const clock = new ManualClock();
    const store = new ResourceStore({ clock, eventTtlMs: 120_000 });
    const changes: StoreChange[] = [];
    store.subscribe(c => changes.push(c));
    store.create(EVENTS, {
      apiVersion: 'v1',
      metadata: { name: 'e1', namespace: 'dev' },
      message: 'hi',
    });
    await clock.advance(60_000);
    expect(store.list(EVENTS)).toHaveLength(1);
    await clock.advance(61_000);
    expect(store.list(EVENTS)).toHaveLength(0);
    expect(changes.map(c => c.type)).toEqual(['ADDED', 'DELETED']);
    store.close();
  });

  it('forgets its change log on restart, so older versions can no longer be resumed', () => {
    const store = new ResourceStore({ clock: new ManualClock() });
    const a = store.create(HR, { metadata: { name: 'a', namespace: 'dev' } });
    expect(
      store.changesSince(HR.storage, Number(a.metadata.resourceVersion) - 1),
    ).toHaveLength(1);
    store.forgetHistory();
    expect(
      store.changesSince(HR.storage, Number(a.metadata.resourceVersion)),
    ).toBeUndefined();
    expect(
      store.changesSince(HR.storage, store.currentResourceVersion()),
    ).toEqual([]);
  });
});

describe('ResourceStore Secrets', () => {
  it('stores stringData as base64 data, on create and on update, and defaults the type', () => {
    const store = new ResourceStore({ clock: new ManualClock() });
    const created = store.create(SECRETS, {
      metadata: { name: 'git', namespace: 'dev' },
      data: { username: b64('bot'), token: b64('old') },
      stringData: { token: 'new' },
    });
    expect(created).toMatchObject({
      type: 'Opaque',
      data: { username: b64('bot'), token: b64('new') },
    });
    expect(created.stringData).toBeUndefined();
    const updated = store.update(SECRETS, {
      ...created,
      stringData: { 'hmac-key': 'k' },
    });
    expect(updated.data).toEqual({
      username: b64('bot'),
      token: b64('new'),
      'hmac-key': b64('k'),
    });
    expect(() =>
      store.create(SECRETS, {
        metadata: { name: 'bad', namespace: 'dev' },
        data: { 'no/slash': b64('x') },
      }),
    ).toThrow(/a valid config key/);
    store.close();
  });
});

describe('ResourceStore change delivery', () => {
  it('delivers changes in resourceVersion order even when a listener writes', () => {
    const store = new ResourceStore({ clock: new ManualClock() });
    store.subscribe(c => {
      if (c.type === 'ADDED' && !c.object.status) {
        store.mutate(
          HR,
          'dev',
          c.object.metadata.name,
          o => (o.status = { seen: true }),
          { subresource: 'status' },
        );
      }
    });
    const seen: number[] = [];
    store.subscribe(c => seen.push(c.rv));
    store.create(HR, { metadata: { name: 'a', namespace: 'dev' } });
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBeLessThan(seen[1]);
  });
});
