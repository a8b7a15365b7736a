import { CanaryVerdict } from '../canaryVerdict';
import { deployment } from '../__testUtils__/deployment';
import { evaluateGates, parseGates, stricterGates } from '.';

const ran = (version: string) => deployment(version, 'succeeded');
const verdict = (state: CanaryVerdict['state']): CanaryVerdict => ({
  state,
  canaries:
    state === 'none'
      ? []
      : [
          {
            canary: 'podinfo',
            phase: 'Progressing',
            at: '2026-12-07T08:00:00Z',
          },
        ],
});
const health = (raw: unknown) => {
  const { gates, error } = parseGates({ health: raw }, 'env prod');
  if (error) throw new Error(error);
  return gates;
};
const evaluate = (
  setting: unknown,
  previous = [[ran('6.5.1')]],
  canaries?: CanaryVerdict[],
) =>
  evaluateGates(health(setting), {
    version: '6.5.1',
    fromEnvironment: 'test',
    previous,
    now: Date.parse('2026-12-07T09:00:00Z'),
    ...(canaries ? { canaries } : {}),
  })[0];

describe('health', () => {
  it('follows the canary verdict of the version in the previous environment', () => {
    expect(evaluate({ canary: true }, undefined, [verdict('failed')])).toEqual({
      gate: 'health',
      state: 'failed',
      reason: 'health in test failed: canary failed on c/ns (podinfo)',
    });
    expect(
      evaluate({ canary: true }, undefined, [verdict('analysing')]),
    ).toMatchObject({
      state: 'waiting',
      reason: 'health in test: canary analysing on c/ns (podinfo)',
    });
    expect(
      evaluate({ canary: true }, undefined, [verdict('succeeded')]).state,
    ).toBe('passed');
  });

  it('passes a target without a canary unless one is required', () => {
    expect(evaluate({ canary: true }, undefined, [verdict('none')]).state).toBe(
      'passed',
    );
    expect(
      evaluate({ canary: true, required: true }, undefined, [verdict('none')]),
    ).toMatchObject({ state: 'waiting' });
  });

  it('needs the version Ready on every target, as its status confirms', () => {
    const ok = [verdict('succeeded')];
    expect(
      evaluate({ canary: true }, [[deployment('6.5.1', 'progressing')]], ok)
        .state,
    ).toBe('waiting');
    for (const newest of [
      deployment('6.5.1', 'failed'),
      deployment('6.5.1', 'rolled-back'),
      ran('6.5.2'),
      { ...ran('6.5.1'), unconfirmed: true },
    ]) {
      expect(evaluate({}, [[newest, ran('6.5.1')]], ok).state).toBe('failed');
    }
  });

  it('refuses unknown keys, and a Pipeline may only tighten app-config', () => {
    expect(parseGates({ health: { canary: 'yes' } }, 'env prod').error).toMatch(
      /^env prod: gates.health.canary: /,
    );
    expect(
      stricterGates(health({ canary: true }), health({ required: true })),
    ).toEqual({ health: { canary: true, required: true } });
    expect(stricterGates(health({ canary: true }), health({}))).toEqual({
      health: { canary: true },
    });
  });
});
