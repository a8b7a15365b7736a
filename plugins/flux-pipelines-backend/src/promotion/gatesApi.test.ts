import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  commitAndWait,
  startPromotionBackend,
  usePromotionScenario,
} from './__testUtils__/promotionScenario';

jest.setTimeout(90_000);

describe('gates through the promote API', () => {
  const scenario = usePromotionScenario('flux-pipelines-gates-');

  it('refuses naming the gate, and lets only a user with the override permission through, audited', async () => {
    let mayOverride = false;
    const permissions = mockServices.permissions.mock();
    permissions.authorize.mockImplementation(async requests =>
      requests.map(r => ({
        result:
          r.permission.name === 'flux-pipelines.promotion.override' &&
          !mayOverride
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
      })),
    );
    const b = await startPromotionBackend(scenario.sim, scenario.fleet.url, {
      permissions,
      promotion: {
        pipelines: [
          {
            pipeline: 'flux-system/podinfo',
            strategy: { commit: { url: scenario.fleet.url, branch: 'main' } },
            environments: [
              { name: 'test', automatic: false, gates: { soak: '1h' } },
            ],
          },
        ],
      },
    });
    scenario.backend = b;
    await commitAndWait(b, scenario.fleet, 'dev', '6.5.1');

    const test = await b.environment('test');
    expect(test.promotable).toMatchObject({ version: '6.5.1' });
    expect(test.gates).toEqual([
      expect.objectContaining({
        gate: 'soak',
        state: 'waiting',
        reason: 'soak 0 of 60 min in dev',
      }),
    ]);

    const body = { environment: 'test', version: '6.5.1' };
    const refused = await b.promote(body);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(
      /^refused by gate soak of test: soak 0 of 60 min in dev; 6.5.1 can be promoted once it passes/,
    );

    // Asking to override without the permission: 403, nothing recorded.
    const denied = await b.promote({ ...body, override: true });
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toContain(
      'it needs flux-pipelines.promotion.override',
    );
    expect((await b.get('/promotions')).items).toEqual([]);
    expect(b.audits.some(a => a.eventId === 'promotion-gate-override')).toBe(
      false,
    );

    mayOverride = true;
    const promoted = await b.promote({ ...body, override: true });
    expect(promoted.status).toBe(201);
    const overridden = [
      expect.objectContaining({
        gate: 'soak',
        reason: 'soak 0 of 60 min in dev',
      }),
    ];
    expect(promoted.body.overriddenGates).toEqual(overridden);
    expect((await b.get('/promotions')).items[0].overriddenGates).toEqual(
      overridden,
    );
    expect(b.audits).toContainEqual(
      expect.objectContaining({
        eventId: 'promotion-gate-override',
        result: 'success',
        meta: expect.objectContaining({
          pipeline: 'flux-system/podinfo',
          environment: 'test',
          version: '6.5.1',
          overriddenGates: ['soak: soak 0 of 60 min in dev'],
        }),
      }),
    );
    expect(b.audits).toContainEqual(
      expect.objectContaining({
        eventId: 'promotion-request',
        result: 'success',
        resultMeta: expect.objectContaining({
          overriddenGates: ['soak: soak 0 of 60 min in dev'],
        }),
      }),
    );
  });
});
