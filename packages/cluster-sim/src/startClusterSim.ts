import { Clock, systemClock } from './clock';
import { FaultController } from './faults/FaultController';
import { kubeconfigYaml, writeKubeconfig } from './kubeconfig';
import { ApiServer } from './server/ApiServer';
import { DEFAULT_TOKEN, TokenAuthenticator, TokenGrant } from './server/auth';
import { ControlRoutes } from './server/controlRoutes';
import { selfSignedCert } from './server/selfSignedCert';
import { WatchHub } from './server/watch';
import { ResourceStore } from './store/ResourceStore';
import { apiVersionOf, findResourceTypeByKind } from './store/resourceTypes';
import { KubeObject } from './store/types';
import { FluxSimulator, FluxSimulatorOptions } from './flux/FluxSimulator';
import { registerSimulatorRoutes } from './flux/simulatorRoutes';
import { GitOpsLoop, GitOpsOptions } from './gitops/GitOpsLoop';
import { localRepositoryPath } from './gitops/localRepository';
import { GithubStandIn, startGithubStandIn } from './scm/GithubStandIn';

export interface ClusterSimOptions {
  /** Cluster name used in the kubeconfig; default `cluster-sim`. */
  name?: string;
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The bearer token with full access; default {@link DEFAULT_TOKEN}. */
  token?: string;
  /** More tokens, e.g. ones limited to some namespaces. */
  extraTokens?: TokenGrant[];
  /** Serve HTTPS with a throwaway self-signed certificate. */
  tls?: boolean;
  clock?: Clock;
  /** Event TTL; default one hour. */
  eventTtlMs?: number;
  /** How often watches with allowWatchBookmarks get a BOOKMARK; default 60s. */
  bookmarkIntervalMs?: number;
  /** How long a watch from a future resourceVersion waits before 504 (default 3000 ms). */
  tooLargeWaitMs?: number;
  /** Changes kept for watches to resume from; default 10000. */
  historyLimit?: number;
  /** Seed for injected failures; default 1. */
  seed?: number;
  /** Namespaces to create besides default, kube-system, kube-public and flux-system. */
  namespaces?: string[];
  /** Objects to create at start (namespaces first). */
  objects?: KubeObject[];
  /** Initial HelmReleases start as installed long ago (status written, no events). */
  settled?: boolean;
  /** Reconcile HelmReleases/Pipelines from a local git repository (the GitOps loop). */
  gitops?: GitOpsOptions;
  /** Options for the Flux simulator; `false` turns it off. */
  simulator?: Partial<FluxSimulatorOptions> | false;
  /**
   * A GitHub API stand-in over the GitOps repository, on whenever `gitops.repo` is local;
   * `false` turns it off. It listens on `port` (default: the API port + 1000, or a free
   * port when the API port is 0) and takes `token` (default: the sim's token).
   */
  scm?: { port?: number; token?: string } | false;
}

export interface ClusterSim {
  name: string;
  url: string;
  token: string;
  /** PEM CA certificate when serving TLS. */
  ca?: string;
  store: ResourceStore;
  faults: FaultController;
  simulator?: FluxSimulator;
  gitops?: GitOpsLoop;
  /** The GitHub stand-in over the GitOps repository (see {@link ClusterSimOptions.scm}). */
  scm?: GithubStandIn;
  control: ControlRoutes;
  kubeconfig(): string;
  writeKubeconfig(path: string): void;
  /** Creates (or replaces) objects as `kubectl apply` would. */
  apply(objects: KubeObject[]): void;
  stop(): Promise<void>;
}

/** Starts a stand-in cluster on 127.0.0.1 and returns its handles. */
export async function startClusterSim(
  options: ClusterSimOptions = {},
): Promise<ClusterSim> {
  const clock = options.clock ?? systemClock;
  const name = options.name ?? 'cluster-sim';
  const token = options.token ?? DEFAULT_TOKEN;
  const store = new ResourceStore({
    clock,
    eventTtlMs: options.eventTtlMs,
    historyLimit: options.historyLimit,
  });
  const watches = new WatchHub(store, {
    bookmarkIntervalMs: options.bookmarkIntervalMs,
    tooLargeWaitMs: options.tooLargeWaitMs,
  });
  const faults = new FaultController(store, watches, { seed: options.seed });
  const control = new ControlRoutes(faults);
  const auth = new TokenAuthenticator([
    { token },
    ...(options.extraTokens ?? []),
  ]);
  const tls = options.tls ? selfSignedCert() : undefined;

  const apply = (objects: KubeObject[]) => applyObjects(store, objects);
  apply(
    [
      'default',
      'kube-system',
      'kube-public',
      'flux-system',
      ...(options.namespaces ?? []),
    ].map(ns => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns },
    })),
  );
  const simulator =
    options.simulator === false
      ? undefined
      : new FluxSimulator({ store, clock, ...(options.simulator ?? {}) });
  apply(options.objects ?? []);
  if (options.settled) simulator?.settleAll();
  simulator?.start();
  if (simulator) registerSimulatorRoutes(control, simulator);
  const gitops = options.gitops
    ? new GitOpsLoop(store, clock, options.gitops)
    : undefined;
  gitops?.start();

  const server = await ApiServer.start({
    store,
    watches,
    faults,
    auth,
    control,
    host: options.host,
    port: options.port,
    tls,
  });
  const repoPath = options.gitops && localRepositoryPath(options.gitops.repo);
  let scm: GithubStandIn | undefined;
  if (repoPath && options.scm !== false) {
    try {
      scm = await startGithubStandIn({
        repo: repoPath,
        host: options.host,
        port: options.scm?.port ?? (options.port ? options.port + 1000 : 0),
        token: options.scm?.token ?? token,
        now: () => clock.now(),
      });
    } catch (error) {
      simulator?.stop();
      gitops?.stop();
      await server.close();
      store.close();
      throw error;
    }
  }
  const kubeconfig = () =>
    kubeconfigYaml({ name, url: server.url, token, ca: tls?.cert });
  return {
    name,
    url: server.url,
    token,
    ca: tls?.cert,
    store,
    faults,
    simulator,
    gitops,
    scm,
    control,
    kubeconfig,
    writeKubeconfig: path =>
      writeKubeconfig(path, { name, url: server.url, token, ca: tls?.cert }),
    apply,
    async stop() {
      simulator?.stop();
      gitops?.stop();
      await scm?.stop();
      faults.resume();
      watches.closeAll();
      await server.close();
      store.close();
    },
  };
}

/** Creates or replaces each object (Namespaces first), keeping status of existing ones. */
export function applyObjects(store: ResourceStore, objects: KubeObject[]) {
  const ordered = [...objects].sort(
    (a, b) => Number(b.kind === 'Namespace') - Number(a.kind === 'Namespace'),
  );
  for (const obj of ordered) {
    const type = findResourceTypeByKind(obj.apiVersion ?? '', obj.kind ?? '');
    if (!type)
      throw new Error(
        `cluster-sim does not serve ${obj.apiVersion} ${obj.kind}`,
      );
    const ns = type.namespaced
      ? obj.metadata.namespace ?? 'default'
      : undefined;
    const input = {
      ...obj,
      apiVersion: apiVersionOf(type),
      metadata: { ...obj.metadata, namespace: ns },
    };
    const existing = store.tryGet(type, ns, obj.metadata.name);
    if (!existing) store.create(type, input);
    else
      store.update(
        type,
        { ...input, metadata: { ...existing.metadata, ...input.metadata } },
        { force: true },
      );
  }
}
