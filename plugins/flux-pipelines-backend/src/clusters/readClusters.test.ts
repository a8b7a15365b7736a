import { ConfigReader } from '@backstage/config';
import { kubeconfigYaml } from '@internal/cluster-sim';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { readClusters, readWebhookKeys } from './readClusters';
import { toKubeConfig } from './toKubeConfig';

const kubernetes = (clusters: object[]) => ({
  kubernetes: {
    clusterLocatorMethods: [{ type: 'catalog' }, { type: 'config', clusters }],
  },
});

describe('readClusters', () => {
  it('reads the Backstage kubernetes clusters and fluxPipelines overrides', () => {
    const config = new ConfigReader({
      ...kubernetes([
        {
          name: 'dev',
          url: 'https://dev.example.com',
          authProvider: 'serviceAccount',
          serviceAccountToken: 'dev-secret-token',
          caData: 'Q0E=',
        },
        {
          name: 'prod',
          url: 'https://prod.example.com',
          serviceAccountToken: 'p',
        },
      ]),
      fluxPipelines: {
        clusters: [
          {
            name: 'prod',
            skipTLSVerify: true,
            webhookHmacKey: 'hmac-key',
            eventApis: ['core', 'events.k8s.io'],
          },
          {
            name: 'extra',
            url: 'http://127.0.0.1:1234',
            serviceAccountToken: 'x',
          },
        ],
      },
    });
    const clusters = readClusters(config);
    expect(clusters.map(c => c.name)).toEqual(['dev', 'prod', 'extra']);
    expect(clusters[0]).toMatchObject({
      url: 'https://dev.example.com',
      caData: 'Q0E=',
      skipTLSVerify: false,
      eventApis: ['core'],
      source: 'kubernetes',
    });
    expect(clusters[1]).toMatchObject({
      url: 'https://prod.example.com',
      skipTLSVerify: true,
      eventApis: ['core', 'events.k8s.io'],
      source: 'fluxPipelines',
    });
    expect(clusters[1].webhookHmacKey?.reveal()).toBe('hmac-key');
    const auth = clusters[0].auth;
    expect(auth.type === 'serviceAccount' && auth.token.reveal()).toBe(
      'dev-secret-token',
    );
  });

  it('never shows tokens when definitions are logged or serialised', () => {
    const clusters = readClusters(
      new ConfigReader(
        kubernetes([
          { name: 'dev', url: 'https://d', serviceAccountToken: 'very-secret' },
        ]),
      ),
    );
    expect(JSON.stringify(clusters)).not.toContain('very-secret');
    expect(inspect(clusters, { depth: 10 })).not.toContain('very-secret');
    expect(`${(clusters[0].auth as any).token}`).toBe('<redacted>');
  });

  it('skips clusters of other auth providers in the kubernetes config, with a warning', () => {
    const warn = jest.fn();
    const clusters = readClusters(
      new ConfigReader(
        kubernetes([{ name: 'gke', url: 'https://g', authProvider: 'google' }]),
      ),
      { warnings: { warn } },
    );
    expect(clusters).toEqual([]);
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining("authProvider 'google'"),
      { cluster: 'gke' },
    );
  });

  it('names the bad entry in its errors', () => {
    const read = (data: object) => () => readClusters(new ConfigReader(data));
    expect(
      read({ fluxPipelines: { clusters: [{ url: 'https://x' }] } }),
    ).toThrow('Cluster at fluxPipelines.clusters[0] has no name');
    expect(
      read({
        fluxPipelines: {
          clusters: [{ name: 'a', url: 'ftp://x', serviceAccountToken: 't' }],
        },
      }),
    ).toThrow(
      "Cluster 'a' (fluxPipelines.clusters[0]): url must be an http(s) URL",
    );
    expect(
      read({ fluxPipelines: { clusters: [{ name: 'b', url: 'https://x' }] } }),
    ).toThrow("Cluster 'b' (fluxPipelines) has no serviceAccountToken");
    expect(
      read({
        fluxPipelines: { clusters: [{ name: 'c', serviceAccountToken: 't' }] },
      }),
    ).toThrow("Cluster 'c' (fluxPipelines) has no url");
    expect(
      read({
        fluxPipelines: {
          clusters: [
            {
              name: 'd',
              url: 'https://x',
              serviceAccountToken: 't',
              eventApis: ['nope'],
            },
          ],
        },
      }),
    ).toThrow("eventApis may contain core, events.k8s.io, got 'nope'");
    expect(read({ fluxPipelines: { kubeconfig: '/does/not/exist' } })).toThrow(
      "fluxPipelines.kubeconfig: cannot read kubeconfig '/does/not/exist'",
    );
  });

  it('turns every kubeconfig context into a cluster', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'clusters-')), 'kubeconfig');
    writeFileSync(
      path,
      kubeconfigYaml([
        { name: 'kind-a', url: 'http://127.0.0.1:6443', token: 'ta' },
        { name: 'kind-b', url: 'http://127.0.0.1:6444', token: 'tb' },
      ]),
    );
    const clusters = readClusters(
      new ConfigReader({
        fluxPipelines: {
          kubeconfig: path,
          clusters: [{ name: 'kind-b', webhookHmacKey: 'k' }],
        },
      }),
    );
    expect(clusters.map(c => [c.name, c.url, c.auth.type])).toEqual([
      ['kind-a', 'http://127.0.0.1:6443', 'kubeconfig'],
      ['kind-b', 'http://127.0.0.1:6444', 'kubeconfig'],
    ]);
    const kc = toKubeConfig(clusters[1]);
    expect(kc.getCurrentCluster()?.server).toBe('http://127.0.0.1:6444');
    expect(kc.getCurrentUser()?.token).toBe('tb');
  });

  it('builds a KubeConfig for a service account cluster', () => {
    const [cluster] = readClusters(
      new ConfigReader(
        kubernetes([
          {
            name: 'dev',
            url: 'https://d:6443',
            serviceAccountToken: 'tok',
            skipTLSVerify: true,
          },
        ]),
      ),
    );
    const kc = toKubeConfig(cluster);
    expect(kc.getCurrentCluster()).toMatchObject({
      name: 'dev',
      server: 'https://d:6443',
      skipTLSVerify: true,
    });
    expect(kc.getCurrentUser()?.token).toBe('tok');
  });
});

describe('webhook-only clusters', () => {
  it('are not watched, but their webhook key is known', () => {
    const config = new ConfigReader({
      fluxPipelines: { clusters: [{ name: 'edge', webhookHmacKey: 'k' }] },
    });
    expect(readClusters(config)).toEqual([]);
    expect(readWebhookKeys(config).get('edge')?.reveal()).toBe('k');
  });
});
