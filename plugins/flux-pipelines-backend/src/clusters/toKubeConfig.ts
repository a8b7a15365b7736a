import { KubeConfig } from '@kubernetes/client-node';
import { ClusterDefinition } from './ClusterDefinition';

/** A client-node `KubeConfig` whose current context is the given cluster. */
export function toKubeConfig(cluster: ClusterDefinition): KubeConfig {
  const kc = new KubeConfig();
  if (cluster.auth.type === 'kubeconfig') {
    kc.loadFromFile(cluster.auth.path);
    kc.setCurrentContext(cluster.auth.context);
    return kc;
  }
  kc.loadFromOptions({
    clusters: [
      {
        name: cluster.name,
        server: cluster.url,
        caData: cluster.caData,
        caFile: cluster.caFile,
        skipTLSVerify: cluster.skipTLSVerify,
      },
    ],
    users: [{ name: cluster.name, token: cluster.auth.token.reveal() }],
    contexts: [
      { name: cluster.name, cluster: cluster.name, user: cluster.name },
    ],
    currentContext: cluster.name,
  });
  return kc;
}
