import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { readPipelineSources } from './readPipelineSources';

function read(fluxPipelines: object, clusters = ['main', 'prod-eu']) {
  const logger = mockServices.logger.mock();
  const sources = readPipelineSources(new ConfigReader({ fluxPipelines }), {
    clusters,
    logger,
  });
  return { sources, logger };
}

describe('readPipelineSources', () => {
  it('trusts no cluster and no namespace when the key is absent, and says so once', () => {
    const { sources, logger } = read({});
    expect(sources.hasCluster('main')).toBe(false);
    expect(sources.trusts('main', 'flux-system')).toBe(false);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0][0]).toMatch(
      /Pipeline objects in the clusters are ignored/,
    );
  });

  it('trusts exactly the named namespaces of the named clusters', () => {
    const { sources, logger } = read({
      pipelineSources: [
        { cluster: 'main', namespaces: ['flux-system', 'pipelines'] },
      ],
    });
    expect(sources.trusts('main', 'flux-system')).toBe(true);
    expect(sources.trusts('main', 'pipelines')).toBe(true);
    expect(sources.trusts('main', 'dev')).toBe(false);
    expect(sources.trusts('prod-eu', 'flux-system')).toBe(false);
    expect(sources.hasCluster('prod-eu')).toBe(false);
    expect(logger.info).toHaveBeenCalledWith(
      'Not reading Pipeline objects from clusters prod-eu: not in fluxPipelines.pipelineSources',
    );
  });

  it('ranks clusters by their first entry: each outranks those named after it', () => {
    const { sources } = read({
      pipelineSources: [
        { cluster: 'main', namespaces: ['flux-system'] },
        { cluster: 'prod-eu', namespaces: ['flux-system'] },
        { cluster: 'main', namespaces: ['pipelines'] },
      ],
    });
    expect(sources.clusters()).toEqual(['main', 'prod-eu']);
    expect(sources.outranked('main')).toEqual(['prod-eu']);
    expect(sources.outranked('prod-eu')).toEqual([]);
    expect(sources.outranked('elsewhere')).toEqual([]);
    expect(sources.trusts('main', 'pipelines')).toBe(true);
  });

  it('warns of a source naming a cluster that is not watched', () => {
    const { logger } = read({
      pipelineSources: [{ cluster: 'typo', namespaces: ['flux-system'] }],
    });
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('names the cluster typo, which is not watched'),
      { cluster: 'typo' },
    );
  });

  it('refuses an entry without namespaces, naming it', () => {
    expect(() =>
      read({ pipelineSources: [{ cluster: 'main', namespaces: [] }] }),
    ).toThrow(/fluxPipelines.pipelineSources\[0\]: namespaces must name/);
    expect(() => read({ pipelineSources: [{ cluster: 'main' }] })).toThrow(
      /namespaces/,
    );
  });
});
