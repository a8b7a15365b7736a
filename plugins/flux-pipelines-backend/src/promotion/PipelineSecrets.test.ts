import { ConfigReader } from '@backstage/config';
import { ClusterSim } from '@internal/cluster-sim';
import {
  Pipeline,
  PromotionStrategySpec,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { inspect } from 'node:util';
import { readClusters } from '../clusters/readClusters';
import {
  clusterConfig,
  startSim,
} from '../follow/scenarios/__testUtils__/scenarioHelpers';
import { PipelineSecrets } from './PipelineSecrets';
import { podinfoPipeline } from './__testUtils__/fixtures';

const pipeline: Pipeline = {
  ...podinfoPipeline,
  namespace: 'team-a',
  environments: [
    { name: 'dev', targets: [{ cluster: 'dev-cluster', namespace: 'dev' }] },
  ],
};
const pullRequest = (secretRef: string): PromotionStrategySpec => ({
  type: 'pull-request',
  provider: 'github',
  url: 'https://github.com/org/fleet',
  baseBranch: 'main',
  secretRef,
});

describe('PipelineSecrets against the cluster stand-in', () => {
  let sim: ClusterSim;
  let secrets: PipelineSecrets;
  const origins = new Map<string, string>();

  beforeAll(async () => {
    sim = await startSim({
      namespaces: ['team-a', 'team-b'],
      simulator: false,
      objects: [],
    });
    const secret = (
      namespace: string,
      name: string,
      stringData: Record<string, string>,
    ) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { namespace, name },
      stringData,
    });
    sim.apply([
      secret('team-a', 'github-token', { token: 'ghp_one\n', password: 'no' }),
      secret('team-a', 'basic', { username: 'bot', password: 'pw-two' }),
      secret('team-a', 'webhook', { 'hmac-key': 'hm4c' }),
      secret('team-b', 'elsewhere', { token: 'ghp_other' }),
    ]);
    const clusters = readClusters(
      new ConfigReader({
        kubernetes: {
          clusterLocatorMethods: [
            { type: 'config', clusters: [clusterConfig('dev-cluster', sim)] },
          ],
        },
      }),
    );
    origins.set('team-a/podinfo', 'dev-cluster');
    secrets = new PipelineSecrets({
      clusters,
      originCluster: async p => origins.get(`${p.namespace}/${p.name}`),
    });
  });
  afterAll(() => sim.stop());

  it('reads the token key, else password, of the Secret in the pipeline\u2019s namespace', async () => {
    const token = await secrets.credentialsFor(
      pipeline,
      pullRequest('github-token'),
    );
    expect(token?.token?.reveal()).toBe('ghp_one');
    // Never shown by accident.
    expect(JSON.stringify(token)).not.toContain('ghp_one');
    expect(inspect(token)).not.toContain('ghp_one');

    const basic = await secrets.credentialsFor(pipeline, pullRequest('basic'));
    expect(basic?.token?.reveal()).toBe('pw-two');
  });

  it('reads hmac-key for the notification strategy', async () => {
    const credentials = await secrets.credentialsFor(pipeline, {
      type: 'notification',
      secretRef: 'webhook',
    });
    expect(credentials?.hmacKey?.reveal()).toBe('hm4c');
    await expect(
      secrets.credentialsFor(pipeline, {
        type: 'notification',
        secretRef: 'github-token',
      }),
    ).rejects.toThrow(
      "Secret team-a/github-token on cluster dev-cluster has no 'hmac-key' key",
    );
  });

  it('reads nothing without a secretRef', async () => {
    const { secretRef: _, ...spec } = pullRequest('x') as any;
    await expect(
      secrets.credentialsFor(pipeline, spec),
    ).resolves.toBeUndefined();
  });

  it('names the Secret, the cluster and the key when they are missing, never a value', async () => {
    await expect(
      secrets.credentialsFor(pipeline, pullRequest('webhook')),
    ).rejects.toThrow(
      "Secret team-a/webhook on cluster dev-cluster has no 'token' key",
    );
    // Only the pipeline's own namespace is looked in.
    await expect(
      secrets.credentialsFor(pipeline, pullRequest('elsewhere')),
    ).rejects.toThrow(
      'Secret team-a/elsewhere on cluster dev-cluster was not found',
    );
  });

  it('refuses a configured pipeline, and one whose cluster is not configured', async () => {
    await expect(
      secrets.credentialsFor(
        { ...pipeline, source: 'config' },
        pullRequest('github-token'),
      ),
    ).rejects.toThrow(
      /names Secret team-a\/github-token by secretRef, but it is configured in app-config/,
    );
    origins.set('team-a/rogue', 'rogue-cluster');
    await expect(
      secrets.credentialsFor(
        { ...pipeline, name: 'rogue' },
        pullRequest('github-token'),
      ),
    ).rejects.toThrow(/cluster rogue-cluster, .* is not configured/);
  });
});
