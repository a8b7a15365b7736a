import { deployment } from '../__testUtils__/deployment';
import { evaluateGates, parseGates, stricterGates } from '.';
import { ListedObjectEvidence, currentRecord } from './listedObject';

const appsTest = (
  newest?: ReturnType<typeof deployment>,
): ListedObjectEvidence => ({
  kind: 'Kustomization',
  cluster: 'c',
  namespace: 'flux-system',
  name: 'apps-test',
  ...(newest ? { newest } : {}),
});
const objects = [
  { kind: 'Kustomization', name: 'apps-test', namespace: 'flux-system' },
];
const evaluate = (evidence: ListedObjectEvidence[]) =>
  evaluateGates(parseGates({ health: { objects } }, 'env prod').gates, {
    version: '6.5.1',
    fromEnvironment: 'test',
    previous: [[deployment('6.5.1', 'succeeded')]],
    now: Date.parse('2026-12-07T09:00:00Z'),
    objects: evidence,
  })[0];

describe('a health gate listing objects', () => {
  it('fails naming the object when its last health check failed, waits while it runs or was never seen, passes when Ready', () => {
    expect(
      evaluate([
        appsTest(
          deployment('main@sha1:ab', 'failed', {
            message: 'health check failed after 1s: timeout waiting for: [..]',
          }),
        ),
      ]),
    ).toEqual({
      gate: 'health',
      state: 'failed',
      reason:
        'health in test failed: Kustomization flux-system/apps-test on c: health check failed',
    });
    expect(
      evaluate([appsTest(deployment('main@sha1:ab', 'progressing'))]),
    ).toMatchObject({
      state: 'waiting',
      reason:
        'health in test: Kustomization flux-system/apps-test on c: not Ready yet',
    });
    // A newest record superseded (its successor not recorded yet) or unknown
    // is not a failure: a failure may start an automatic rollback.
    for (const status of ['superseded', 'unknown'] as const) {
      expect(
        evaluate([appsTest(deployment('main@sha1:ab', status))]),
      ).toMatchObject({ state: 'waiting' });
    }
    expect(
      evaluate([appsTest(deployment('main@sha1:ab', 'rolled-back'))]),
    ).toMatchObject({ state: 'failed' });
    // Only events said it succeeded: not Ready until its status confirms it.
    expect(
      evaluate([
        appsTest(
          deployment('main@sha1:ab', 'succeeded', { unconfirmed: true }),
        ),
      ]),
    ).toMatchObject({ state: 'waiting' });
    expect(evaluate([appsTest()])).toMatchObject({
      state: 'waiting',
      reason:
        'health in test: Kustomization flux-system/apps-test on c: not seen yet',
    });
    expect(
      evaluate([appsTest(deployment('main@sha1:ab', 'succeeded'))]),
    ).toMatchObject({ state: 'passed' });
  });

  it('waits for a listed Canary without a verdict on the version, and fails on a failed one', () => {
    const canary = (
      state: 'failed' | 'none' | 'succeeded',
    ): ListedObjectEvidence => ({
      kind: 'Canary',
      cluster: 'c',
      namespace: 'test',
      name: 'podinfo',
      canary: { state, canaries: [] },
    });
    expect(evaluate([canary('failed')])).toMatchObject({
      state: 'failed',
      reason: 'health in test failed: Canary test/podinfo on c: canary failed',
    });
    expect(evaluate([canary('none')])).toMatchObject({ state: 'waiting' });
    expect(evaluate([canary('succeeded')])).toMatchObject({ state: 'passed' });
  });

  it("refuses an unknown kind, and a Pipeline adds objects to app-config's, never removes them", () => {
    expect(
      parseGates(
        { health: { objects: [{ kind: 'Secret', name: 'x' }] } },
        'env prod',
      ).error,
    ).toMatch(/^env prod: gates\.health\.objects\.0\.kind: /);
    const config = parseGates({ health: { objects } }, 'c').gates;
    const pipeline = parseGates(
      { health: { objects: [{ kind: 'Canary', name: 'podinfo' }] } },
      'p',
    ).gates;
    expect(stricterGates(config, pipeline)?.health?.objects).toEqual([
      ...objects,
      { kind: 'Canary', name: 'podinfo' },
    ]);
    expect(stricterGates(config, { health: {} })?.health?.objects).toEqual(
      objects,
    );
  });

  it("reads an object's current state from its newest record no newer revision superseded", () => {
    // Newest change first: the old revision was superseded after the new
    // revision's record was written.
    const records = [
      deployment('main@sha1:old', 'superseded'),
      deployment('main@sha1:new', 'succeeded'),
      deployment('main@sha1:older', 'failed'),
    ];
    expect(currentRecord(records)?.chartVersion).toBe('main@sha1:new');
    expect(
      currentRecord([deployment('main@sha1:old', 'superseded')])?.status,
    ).toBe('superseded');
    expect(currentRecord([])).toBeUndefined();
  });
});
