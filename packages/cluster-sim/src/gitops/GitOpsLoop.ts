import { parseAllDocuments } from 'yaml';
import { Clock, formatGoDuration, parseDuration, toRfc3339 } from '../clock';
import { EventRecorder } from '../flux/EventRecorder';
import {
  deleteCondition,
  setCondition,
  setProgressing,
} from '../flux/conditions';
import { applyObjects } from '../startClusterSim';
import { ResourceStore } from '../store/ResourceStore';
import { RESOURCE_TYPES, findResourceTypeByKind } from '../store/resourceTypes';
import { KubeObject } from '../store/types';
import { GitMirror } from './GitMirror';
import { localRepositoryPath } from './localRepository';
import { HealthTarget, checkHealth, healthTargets } from './healthChecks';

const KUSTOMIZATION = RESOURCE_TYPES.find(t => t.kind === 'Kustomization')!;
const GIT_REPOSITORY = RESOURCE_TYPES.find(t => t.kind === 'GitRepository')!;

export interface GitOpsOptions {
  /** The source of truth: a local repository path or a file:// URL. */
  repo: string;
  branch?: string;
  /** The GitRepository object standing for it; default flux-system/fleet. */
  gitRepository?: { name: string; namespace: string };
  /** Poll interval; default 10s. */
  intervalMs?: number;
}

/**
 * Plays source- and kustomize-controller: polls a git branch, and for every Kustomization whose
 * sourceRef is the GitRepository applies the manifests under its `spec.path`, then records
 * `main@sha1:<sha>` revisions in status and emits Kustomization events (FLUX.md §2).
 */
export class GitOpsLoop {
  private readonly mirror: GitMirror;
  private readonly recorder: EventRecorder;
  private readonly branch: string;
  private readonly source: { name: string; namespace: string };
  private timer: unknown;
  private stopped = false;
  private running?: Promise<void>;
  lastError?: string;

  constructor(
    private readonly store: ResourceStore,
    private readonly clock: Clock,
    private readonly options: GitOpsOptions,
  ) {
    this.branch = options.branch ?? 'main';
    this.source = options.gitRepository ?? {
      name: 'fleet',
      namespace: 'flux-system',
    };
    this.mirror = new GitMirror(options.repo, this.branch);
    this.recorder = new EventRecorder({
      store,
      clock,
      component: 'kustomize-controller',
      instance: 'kustomize-controller-7c9d6f8b5-m4x2p',
    });
  }

  /** The repository's working tree when it is local (where commits can be made). */
  get localPath(): string | undefined {
    return localRepositoryPath(this.options.repo);
  }

  start(): void {
    this.schedule(0);
  }

  /** Polls now (tests call this instead of waiting for the interval). */
  poll(): Promise<void> {
    this.running ??= this.reconcile().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.mirror.close();
  }

  private schedule(ms: number) {
    if (this.stopped) return;
    this.timer = this.clock.setTimeout(() => {
      this.poll().finally(() =>
        this.schedule(this.options.intervalMs ?? 10_000),
      );
    }, ms);
  }

  private async reconcile(): Promise<void> {
    let sha: string;
    try {
      sha = await this.mirror.fetch();
      this.lastError = undefined;
    } catch (error) {
      if (!this.stopped) {
        this.lastError = String((error as Error).message ?? error);
      }
      return;
    }
    const revision = `${this.branch}@sha1:${sha}`;
    const now = toRfc3339(this.clock.now());
    if (
      this.store.tryGet(GIT_REPOSITORY, this.source.namespace, this.source.name)
    ) {
      this.store.mutate(
        GIT_REPOSITORY,
        this.source.namespace,
        this.source.name,
        o => {
          const s = (o.status ??= {});
          s.artifact = {
            revision,
            lastUpdateTime: now,
            path: `gitrepository/${this.source.namespace}/${this.source.name}/${sha}.tar.gz`,
          };
          s.observedGeneration = o.metadata.generation;
          setCondition(
            s,
            {
              type: 'Ready',
              status: 'True',
              reason: 'Succeeded',
              message: `stored artifact for revision '${revision}'`,
            },
            now,
          );
        },
        { subresource: 'status' },
      );
    }
    for (const ks of this.store.list(KUSTOMIZATION)) {
      const ref = ks.spec?.sourceRef ?? {};
      if (
        ref.kind !== 'GitRepository' ||
        ref.name !== this.source.name ||
        (ref.namespace ?? ks.metadata.namespace) !== this.source.namespace
      )
        continue;
      if (ks.status?.lastAttemptedRevision === revision || ks.spec?.suspend)
        continue;
      await this.apply(ks, sha, revision);
    }
  }

  private async apply(ks: KubeObject, sha: string, revision: string) {
    const started = this.clock.now();
    // Like kustomize-controller: reconciling, Ready Unknown, while it applies.
    this.store.mutate(
      KUSTOMIZATION,
      ks.metadata.namespace,
      ks.metadata.name,
      o => {
        const s = (o.status ??= {});
        const now = toRfc3339(started);
        s.lastAttemptedRevision = revision;
        setProgressing(s, `Building manifests for revision ${revision}`, now);
      },
      { subresource: 'status' },
    );
    const changes: string[] = [];
    const applied: HealthTarget[] = [];
    let error: string | undefined;
    try {
      for (const file of await this.mirror.yamlFiles(
        sha,
        ks.spec?.path ?? './',
      )) {
        for (const doc of parseAllDocuments(
          await this.mirror.read(sha, file),
        )) {
          const obj = doc.toJS() as KubeObject | null;
          if (!obj?.kind || !obj.apiVersion || !obj.metadata?.name) continue;
          const type = findResourceTypeByKind(obj.apiVersion, obj.kind);
          if (!type) continue;
          const namespace = type.namespaced
            ? ks.spec?.targetNamespace ?? obj.metadata.namespace ?? 'default'
            : undefined;
          const before = this.store.tryGet(type, namespace, obj.metadata.name);
          applyObjects(this.store, [
            {
              ...obj,
              metadata: {
                ...obj.metadata,
                namespace,
                // As kustomize-controller does: who applied the object
                // (labels other managers set stay, as with server-side apply).
                labels: {
                  ...before?.metadata.labels,
                  ...obj.metadata.labels,
                  'kustomize.toolkit.fluxcd.io/name': ks.metadata.name,
                  'kustomize.toolkit.fluxcd.io/namespace':
                    ks.metadata.namespace ?? 'default',
                },
              },
            },
          ]);
          const after = this.store.get(type, namespace, obj.metadata.name);
          applied.push({
            apiVersion: obj.apiVersion,
            kind: obj.kind,
            name: obj.metadata.name,
            namespace,
          });
          const id = `${obj.kind}/${namespace ? `${namespace}/` : ''}${
            obj.metadata.name
          }`;
          if (!before) changes.push(`${id} created`);
          else if (
            before.metadata.resourceVersion !== after.metadata.resourceVersion
          ) {
            changes.push(`${id} configured`);
          }
        }
      }
    } catch (e) {
      error = String((e as Error).message ?? e);
    }
    // Stopped while reading the repository: report nothing of it.
    if (this.stopped) return;
    const targets = error ? [] : healthTargets(ks, applied);
    const health = targets.length
      ? await checkHealth({
          store: this.store,
          clock: this.clock,
          ks,
          revision,
          targets,
          stopped: () => this.stopped,
        })
      : undefined;
    if (this.stopped) return;
    if (health && !health.healthy) error = health.message;
    const duration = formatGoDuration(Math.max(1, this.clock.now() - started));
    const interval = formatGoDuration(
      parseDuration(ks.spec?.interval ?? '10m'),
    );
    const updated = this.store.mutate(
      KUSTOMIZATION,
      ks.metadata.namespace,
      ks.metadata.name,
      o => {
        const s = (o.status ??= {});
        const now = toRfc3339(this.clock.now());
        s.lastAttemptedRevision = revision;
        s.observedGeneration = o.metadata.generation;
        if (!error || health) s.lastAppliedRevision = revision;
        deleteCondition(s, 'Reconciling');
        if (health)
          setCondition(
            s,
            {
              type: 'Healthy',
              status: health.healthy ? 'True' : 'False',
              reason: health.healthy
                ? 'HealthCheckSucceeded'
                : 'HealthCheckFailed',
              message: health.message,
            },
            now,
          );
        setCondition(
          s,
          error
            ? {
                type: 'Ready',
                status: 'False',
                reason: health ? 'HealthCheckFailed' : 'ReconciliationFailed',
                message: error,
              }
            : {
                type: 'Ready',
                status: 'True',
                reason: 'ReconciliationSucceeded',
                message: `Applied revision: ${revision}`,
              },
          now,
        );
      },
      { subresource: 'status' },
    );
    const annotations = { 'kustomize.toolkit.fluxcd.io/revision': revision };
    if (health?.healthy)
      this.recorder.record(updated, 'kustomize.toolkit.fluxcd.io/v1', {
        type: 'Normal',
        reason: 'Progressing',
        message: health.message,
        annotations,
      });
    if (error) {
      this.recorder.record(updated, 'kustomize.toolkit.fluxcd.io/v1', {
        type: 'Warning',
        reason: health ? 'HealthCheckFailed' : 'ReconciliationFailed',
        message: error,
        annotations,
      });
    } else {
      const message = changes.length
        ? changes.join('\n')
        : `Reconciliation finished in ${duration}, next run in ${interval}`;
      this.recorder.record(updated, 'kustomize.toolkit.fluxcd.io/v1', {
        type: 'Normal',
        reason: 'ReconciliationSucceeded',
        message,
        annotations: {
          ...annotations,
          'kustomize.toolkit.fluxcd.io/commit_status': 'update',
        },
      });
    }
  }
}
