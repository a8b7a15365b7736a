import {
  builtinScenarioNames,
  loadScenario,
  parseScenario,
} from './loadScenario';

describe('loadScenario', () => {
  it('knows the built-in scenarios, including demo with its second cluster', () => {
    expect(builtinScenarioNames()).toEqual(
      expect.arrayContaining(['demo', 'basic', 'failures']),
    );
    const demo = loadScenario('demo');
    expect(demo.clusters.map(c => c.name)).toEqual(['main', 'prod-eu']);
    const pipeline = demo.clusters[0].objects!.find(
      o => o.kind === 'Pipeline' && o.metadata.name === 'checkout',
    )!;
    expect(pipeline.spec.environments[2].targets[0].clusterRef).toEqual({
      kind: 'GitopsCluster',
      name: 'prod-eu',
      namespace: 'flux-system',
    });
  });

  it('explains what is wrong with a bad scenario', () => {
    expect(() => parseScenario('clusters: []', 'bad.yaml')).toThrow(
      'bad.yaml: clusters must be a non-empty list',
    );
    expect(() =>
      parseScenario(
        'timeline:\n  - at: soon\n    fault: { action: restart }',
        'bad.yaml',
      ),
    ).toThrow("bad.yaml: timeline[0].at: Invalid duration 'soon'");
    expect(() =>
      parseScenario(
        'timeline:\n  - at: 1m\n    cluster: nope\n    fault: { action: restart }',
        'x',
      ),
    ).toThrow("cluster 'nope' is not a cluster");
    expect(() => loadScenario('no-such-scenario')).toThrow(
      /Unknown scenario 'no-such-scenario'/,
    );
  });

  it('accepts a single-cluster shorthand', () => {
    const s = parseScenario('name: tiny\nnamespaces: [dev]\ntimeline: []');
    expect(s.clusters).toEqual([
      { name: 'main', namespaces: ['dev'], objects: undefined },
    ]);
  });
});
