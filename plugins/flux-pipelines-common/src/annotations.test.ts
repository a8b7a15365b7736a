import { parsePipelineRefs } from './annotations';

describe('parsePipelineRefs', () => {
  it('reads namespaced references and defaults the namespace', () => {
    expect(parsePipelineRefs('flux-system/podinfo, web')).toEqual([
      { namespace: 'flux-system', name: 'podinfo' },
      { namespace: 'default', name: 'web' },
    ]);
  });

  it('returns nothing for a missing or empty annotation', () => {
    expect(parsePipelineRefs(undefined)).toEqual([]);
    expect(parsePipelineRefs(' , ')).toEqual([]);
  });
});
