import { describeSummary, EnvironmentSummary } from './environmentSummary';

const deployment = (chartVersion: string, status: any) =>
  ({ chartVersion, status } as EnvironmentSummary['deployment']);

describe('describeSummary', () => {
  it('tells a rolled-back version from the one it went back to', () => {
    expect(
      describeSummary({
        state: 'rolled-back',
        version: '6.5.3',
        deployment: deployment('6.5.4', 'rolled-back'),
      }),
    ).toBe('6.5.4 failed, rolled back to 6.5.3');
  });

  it('says a failed upgrade left the previous version running', () => {
    expect(
      describeSummary({
        state: 'failed',
        version: '6.5.3',
        deployment: deployment('6.5.4', 'failed'),
      }),
    ).toBe('6.5.4 failed, 6.5.3 still runs');
  });

  it('names the failed version when nothing else runs', () => {
    expect(
      describeSummary({
        state: 'failed',
        deployment: deployment('6.5.3', 'failed'),
      }),
    ).toBe('6.5.3 failed');
  });

  it('is the running version otherwise', () => {
    expect(
      describeSummary({
        state: 'succeeded',
        version: '6.5.3',
        deployment: deployment('6.5.3', 'succeeded'),
      }),
    ).toBe('6.5.3');
    expect(describeSummary({ state: 'unknown' })).toBe('none');
  });
});
