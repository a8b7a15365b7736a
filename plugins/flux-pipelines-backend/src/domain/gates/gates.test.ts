import { deployment } from '../__testUtils__/deployment';
import { evaluateGates, parseGates, stricterGates } from '.';

const T0 = Date.parse('2026-12-07T08:00:00Z'); // Mon 09:00 in Berlin
const min = 60_000;
const ran = (version: string, finishedAt = '2026-12-07T08:00:00Z') =>
  deployment(version, 'succeeded', { finishedAt, updatedAt: finishedAt });
const input = (now: number, previous = [[ran('6.5.1')]]) => ({
  version: '6.5.1',
  fromEnvironment: 'test',
  previous,
  now,
});
const gates = (raw: unknown) => {
  const { gates: parsed, error } = parseGates(raw, 'env prod');
  if (error) throw new Error(error);
  return parsed;
};

describe('soak', () => {
  const soak = gates({ soak: '30m' });

  it('waits until the version ran the whole soak on every target, then passes', () => {
    const late = ran('6.5.1', '2026-12-07T08:10:00Z');
    expect(
      evaluateGates(soak, input(T0 + 32 * min, [[ran('6.5.1')], [late]])),
    ).toEqual([
      {
        gate: 'soak',
        state: 'waiting',
        reason: 'soak 22 of 30 min in test',
        until: '2026-12-07T08:40:00.000Z',
      },
    ]);
    expect(
      evaluateGates(soak, input(T0 + 40 * min, [[ran('6.5.1')], [late]]))[0],
    ).toMatchObject({ state: 'passed' });
  });

  it('fails when the version failed, was rolled back or replaced since', () => {
    for (const newest of [
      deployment('6.5.1', 'failed'),
      deployment('6.5.1', 'rolled-back'),
      ran('6.5.2', '2026-12-07T08:20:00Z'),
    ]) {
      expect(
        evaluateGates(soak, input(T0 + 60 * min, [[newest, ran('6.5.1')]]))[0],
      ).toMatchObject({ state: 'failed' });
    }
  });

  it('does not count a success only events report', () => {
    const unconfirmed = { ...ran('6.5.1'), unconfirmed: true };
    expect(
      evaluateGates(soak, input(T0 + 60 * min, [[unconfirmed]]))[0].state,
    ).toBe('failed');
  });
});

describe('deploy windows', () => {
  const office = gates({
    windows: {
      timeZone: 'Europe/Berlin',
      allow: [{ start: '0 9 * * 1-5', duration: '8h' }],
      deny: [{ start: '0 12 * * *', duration: '1h' }],
    },
  });
  const state = (now: number) => evaluateGates(office, input(now))[0];

  it('opens at the window, freezes during a deny window, closes after', () => {
    expect(state(T0 - 1)).toMatchObject({
      state: 'waiting',
      reason: 'outside deploy window until Mon 09:00 Europe/Berlin',
      until: '2026-12-07T08:00:00.000Z',
    });
    expect(state(T0).state).toBe('passed');
    expect(state(T0 + 3 * 60 * min)).toMatchObject({
      state: 'waiting',
      reason: "deploy freeze (deny '0 12 * * *') until Mon 13:00 Europe/Berlin",
    });
    expect(state(T0 + 4 * 60 * min).state).toBe('passed');
    // Friday 17:00 closes it until Monday 09:00.
    expect(state(T0 + (4 * 24 + 8) * 60 * min)).toMatchObject({
      state: 'waiting',
      until: '2026-12-14T08:00:00.000Z',
    });
  });
});

describe('settings', () => {
  it('names the key of an unusable setting', () => {
    expect(parseGates({ soak: 'soon' }, 'env prod').error).toBe(
      'env prod: gates.soak: must be a positive Go duration such as 30m, 1h30m or 90s',
    );
    expect(
      parseGates(
        { windows: { allow: [{ start: '0 9 * *', duration: '1h' }] } },
        'env prod',
      ).error,
    ).toMatch(
      /^env prod: gates.windows.allow.0.start: '0 9 \* \*' must have 5 fields/,
    );
    expect(parseGates({ soke: '1m' }, 'env prod').error).toMatch(
      /Unrecognized key/,
    );
  });

  it('combines two settings into the stricter: longer soak, every window set', () => {
    const config = gates({
      soak: '30m',
      windows: { allow: [{ start: '0 9 * * *', duration: '1h' }] },
    });
    const pipeline = gates({
      soak: '1m',
      windows: { deny: [{ start: '0 0 * * *', duration: '1h' }] },
    });
    const both = stricterGates(pipeline, config)!;
    expect(both.soak).toBe('30m');
    expect(both.windows).toHaveLength(2);
    expect(stricterGates(undefined, config)).toBe(config);
  });
});
