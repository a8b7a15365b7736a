import {
  CLUSTER,
  coreEvent,
  helmAnnotations,
  webhookBody,
} from './__fixtures__/events';
import { normaliseCoreEvent } from './normaliseCoreEvent';
import { normaliseEventsV1 } from './normaliseEventsV1';
import { normaliseWebhook } from './normaliseWebhook';

const ctx = { cluster: CLUSTER };
const RULE = 'fluxPipelines.evidence.controllers';
const upgrade = () =>
  coreEvent({
    reason: 'UpgradeSucceeded',
    message:
      'Helm upgrade succeeded for release apps/podinfo.v2 with chart podinfo@6.6.1',
    annotations: helmAnnotations('6.6.1'),
  });

function eventsV1(reportingController: unknown, deprecatedSource: unknown) {
  const e = upgrade();
  return {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: e.metadata,
    regarding: e.involvedObject,
    note: e.message,
    reason: e.reason,
    type: e.type,
    eventTime: '2024-05-02T10:15:30.500000Z',
    reportingController,
    deprecatedSource,
  };
}

describe('owning controller', () => {
  it("counts helm-controller's events in every shape", () => {
    expect(normaliseCoreEvent(upgrade(), ctx).ok).toBe(true);
    expect(
      normaliseEventsV1(
        eventsV1('helm-controller', { component: 'helm-controller' }),
        ctx,
      ).ok,
    ).toBe(true);
    const body = webhookBody({
      reason: 'UpgradeSucceeded',
      message: upgrade().message,
      metadata: { revision: '6.6.1' },
    });
    expect(
      normaliseWebhook(body, { ...ctx, reportedBy: 'helm-controller' }).ok,
    ).toBe(true);
  });

  it.each([
    ['core source.component', { ...upgrade(), source: { component: 'x' } }],
    ['core reportingComponent', { ...upgrade(), reportingComponent: 'x' }],
    [
      'core without a reporter',
      { ...upgrade(), source: undefined, reportingComponent: undefined },
    ],
    [
      'a Kustomization event from helm-controller',
      {
        ...upgrade(),
        involvedObject: { kind: 'Kustomization', namespace: 'a', name: 'b' },
      },
    ],
  ])('refuses %s', (_, event) => {
    expect(normaliseCoreEvent(event, ctx)).toMatchObject({
      ok: false,
      rule: RULE,
      object: expect.any(String),
    });
  });

  it('refuses events.k8s.io events from anyone else', () => {
    for (const [controller, source] of [
      ['forger', { component: 'helm-controller' }],
      ['helm-controller', { component: 'forger' }],
      [undefined, undefined],
    ]) {
      expect(
        normaliseEventsV1(eventsV1(controller, source), ctx),
      ).toMatchObject({ ok: false, rule: RULE });
    }
  });

  it('refuses a webhook whose body or Gotk-Component header names another component', () => {
    const body = webhookBody({
      reason: 'UpgradeSucceeded',
      message: upgrade().message,
      metadata: { revision: '6.6.1' },
    });
    expect(
      normaliseWebhook({ ...body, reportingController: 'forger' }, ctx),
    ).toMatchObject({ ok: false, rule: RULE });
    expect(
      normaliseWebhook(body, { ...ctx, reportedBy: 'forger' }),
    ).toMatchObject({ ok: false, rule: RULE });
  });
});
