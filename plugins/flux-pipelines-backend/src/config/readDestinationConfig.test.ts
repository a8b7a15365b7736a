import { ConfigReader, JsonObject } from '@backstage/config';
import { NotAllowedError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import { Pipeline } from '@flux-pipelines/plugin-flux-pipelines-common';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { DestinationPolicy } from '../promotion/git/DestinationPolicy';
import { configuredIntegrationHosts } from '../promotion/git/repositoryAccess';
import { checkStrategyTarget } from '../promotion/strategies/checkStrategyTarget';
import {
  DEFAULT_VERSION_FIELDS,
  readDestinationConfig,
} from './readDestinationConfig';
import {
  applyPromotionOverrides,
  readPromotionConfig,
} from './readPromotionConfig';

const promotion = (value: JsonObject) =>
  new ConfigReader({ fluxPipelines: { promotion: value } });

describe('readDestinationConfig', () => {
  it('is closed by default: no repositories, the version fields, no plain http', () => {
    expect(readDestinationConfig(new ConfigReader({}))).toEqual({
      repositories: [],
      versionFields: DEFAULT_VERSION_FIELDS,
      allowInsecureHttp: false,
    });
  });

  it('reads plain URLs (config pipelines only) and entries with branches and paths', () => {
    expect(
      readDestinationConfig(
        promotion({
          repositories: [
            'file:///srv/fleet',
            { url: 'https://h/o/r', branches: ['main'], paths: ['apps/**'] },
          ],
          versionFields: ['spec.ref.tag'],
          allowInsecureHttp: true,
        }),
      ),
    ).toEqual({
      repositories: [
        { url: 'file:///srv/fleet' },
        { url: 'https://h/o/r', branches: ['main'], paths: ['apps/**'] },
      ],
      versionFields: ['spec.ref.tag'],
      allowInsecureHttp: true,
    });
  });

  it('refuses an unusable entry, naming it', () => {
    expect(() =>
      readDestinationConfig(
        promotion({ repositories: [{ url: 'x', branch: 'main' }] }),
      ),
    ).toThrow('fluxPipelines.promotion.repositories[0]');
  });
});

describe('the demo app-config', () => {
  // `npm start` runs the backend in packages/backend.
  const root = resolve(__dirname, '../../../..');
  const text = readFileSync(join(root, 'app-config.yaml'), 'utf8').replace(
    /\$\{FLUX_PIPELINES_FLEET_REPO:-([^}]+)\}/g,
    (_, fallback) => resolve(root, 'packages/backend', fallback),
  );
  const config = new ConfigReader(parse(text));
  const promotionConfig = readPromotionConfig(config);
  const destinations = new DestinationPolicy(promotionConfig.destinations);
  const integrations = ScmIntegrations.fromConfig(config);
  const options = {
    destinations,
    integrations,
    integrationHosts: configuredIntegrationHosts(config),
  };
  // podinfo's Pipeline as the demo cluster defines it (prod by PR to github.com).
  const podinfo = applyPromotionOverrides(
    {
      namespace: 'flux-system',
      name: 'podinfo',
      source: 'cluster',
      appRef: { kind: 'HelmRelease', name: 'podinfo' },
      environments: ['dev', 'test', 'prod'].map(name => ({
        name,
        targets: [{ cluster: 'main', namespace: name }],
      })),
    } as Pipeline,
    promotionConfig,
  );
  const strategyOf = (env: string) =>
    podinfo.environments.find(e => e.name === env)?.promotion?.strategy ??
    podinfo.promotion!.strategy!;

  it('lets podinfo promote to test by commit and to prod by pull request, each to its own file only', () => {
    for (const [env, file, other] of [
      ['test', 'apps/test/podinfo.yaml', 'apps/prod/podinfo.yaml'],
      ['prod', 'apps/prod/podinfo.yaml', 'apps/test/podinfo.yaml'],
    ]) {
      const spec = strategyOf(env) as any;
      checkStrategyTarget(options, podinfo, spec, '6.5.1');
      const destination = {
        url: spec.url,
        branch: spec.branch ?? spec.baseBranch,
      };
      const rules = destinations.checkDestination(podinfo, destination);
      expect(() =>
        destinations.checkPaths(podinfo, destination, rules, [file]),
      ).not.toThrow();
      expect(() =>
        destinations.checkPaths(podinfo, destination, rules, [other]),
      ).toThrow(NotAllowedError);
    }
  });

  it('refuses the attack of issue 13: a commit of apps/prod/podinfo.yaml to the fleet', () => {
    const commit = strategyOf('test') as any;
    expect(() =>
      checkStrategyTarget(
        options,
        podinfo,
        {
          ...commit,
          path: 'apps/prod/podinfo.yaml',
          field: 'spec.chart.spec.version',
        },
        '6.7.2',
      ),
    ).toThrow(
      'refused by fluxPipelines.promotion.repositories: path apps/prod/podinfo.yaml is not allowed',
    );
  });
});
