import { deployment } from './__testUtils__/deployment';
import { skippedEnvironments } from './skipped';

describe('skipped environments', () => {
  const dev = {
    name: 'dev',
    perTarget: [
      [deployment('6.5.3', 'succeeded'), deployment('6.5.2', 'superseded')],
      [deployment('6.5.3', 'succeeded')],
    ],
  };
  const test = {
    name: 'test',
    perTarget: [[deployment('6.9.9', 'succeeded')]],
  };
  const prod = { name: 'prod', perTarget: [[]] };

  it('names the earlier environments a hand-committed version never passed through', () => {
    expect(skippedEnvironments([dev, test, prod], 2, '6.9.9')).toEqual(['dev']);
    expect(skippedEnvironments([dev, test, prod], 1, '6.9.9')).toEqual(['dev']);
  });

  it('finds none for a version that succeeded (now or before) on every earlier target', () => {
    expect(skippedEnvironments([dev, test, prod], 1, '6.5.3')).toEqual([]);
    expect(skippedEnvironments([dev, test, prod], 0, '6.9.9')).toEqual([]);
  });

  it('counts an environment as skipped when one of its targets never ran the version', () => {
    expect(skippedEnvironments([dev, test, prod], 1, '6.5.2')).toEqual(['dev']);
  });

  it('does not count a failure, or a success only events report, as passing through', () => {
    const failed = {
      name: 'dev',
      perTarget: [[deployment('7.0.0', 'failed')]],
    };
    const unconfirmed = {
      name: 'dev',
      perTarget: [[deployment('7.0.0', 'succeeded', { unconfirmed: true })]],
    };
    expect(skippedEnvironments([failed, test], 1, '7.0.0')).toEqual(['dev']);
    expect(skippedEnvironments([unconfirmed, test], 1, '7.0.0')).toEqual([
      'dev',
    ]);
  });
});
