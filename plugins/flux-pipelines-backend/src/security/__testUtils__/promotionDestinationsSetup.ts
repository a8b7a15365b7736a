import { createServer, IncomingMessage, Server } from 'node:http';

/** A HelmRelease file of the fleet, its version marked for `marker`, with values a Pipeline should never touch. */
export const fleetRelease = (
  namespace: string,
  version: string,
  marker: string,
) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: ${namespace}
spec:
  chart:
    spec:
      chart: podinfo
      version: ${version} # {"$promotion": "${marker}"}
  values:
    replicaCount: 1
`;

/**
 * A Pipeline object in flux-system for podinfo (dev, then test) whose
 * promotion into test uses `strategy` (the Weave GitOps shape, plus
 * `commit`), as someone who may create Pipelines would write it.
 */
export const pipelineObject = (name: string, strategy: object) => ({
  apiVersion: 'pipelines.weave.works/v1alpha1',
  kind: 'Pipeline',
  metadata: { name, namespace: 'flux-system' },
  spec: {
    appRef: {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      name: 'podinfo',
    },
    environments: [
      { name: 'dev', targets: [{ namespace: 'dev' }] },
      { name: 'test', targets: [{ namespace: 'test' }] },
    ],
    promotion: { strategy },
  },
});

/** A catalog entity linked to a pipeline by annotation. */
export const linkedEntity = (name: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'flux-pipelines.io/pipelines': `flux-system/${name}` },
  },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
});

/** A local HTTP server that records every request (and its credentials) and answers 401. */
export async function startCredentialTrap() {
  const requests: Array<{ url?: string; authorization?: string }> = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    requests.push({ url: req.url, authorization: req.headers.authorization });
    req.resume();
    res.writeHead(401, { 'www-authenticate': 'Basic realm="trap"' });
    res.end();
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>(r => {
        server.closeAllConnections?.();
        server.close(() => r());
      }),
  };
}
