import { LoggerService } from '@backstage/backend-plugin-api';
import {
  Pipeline,
  Promotion,
  TargetDeployment,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { AppLabelStore } from '../database/AppLabelStore';
import { DeploymentStore } from '../database/DeploymentStore';
import { FluxObjectRef } from '../database/ObservationStore';
import { objectKey, targetKey } from '../domain/objectKey';
import { parseSourceRevision } from '../ingest/sourceRevision';
import { GitCloneOptions } from '../promotion/git/GitRepository';
import { appliedBy, revisionAt } from './appliedRevision';
import { CommitAuthors } from './CommitAuthors';
import { promotionRequester } from './promotionRequester';

/** What {@link ChangeSources} reads. */
export interface ChangeSourcesOptions {
  deployments: DeploymentStore;
  appLabels: AppLabelStore;
  /** Promotions of a pipeline, newest first. */
  listPromotions: (pipeline: Pipeline) => Promise<Promotion[]>;
  /** The GitOps repository known for an environment of a pipeline, if any. */
  repositoryFor: (
    pipeline: Pipeline,
    environment: string,
  ) => Promise<GitCloneOptions | undefined>;
  /** The web page of a commit in a known repository, if one can be built. */
  linkFor: (url: string, sha: string) => string | undefined;
  authors: CommitAuthors;
  logger: LoggerService;
}

/** Where a deployment sits: its pipeline and environment. */
interface Place {
  pipeline: Pipeline;
  environment: string;
}

/**
 * Adds to deployments where each change came from: the source revision
 * (see {@link TargetDeployment.sourceRevision}), a link to its commit, and
 * who made it — the requester of the promotion of ours that put the version
 * there, else the commit's author in git. Git is never waited for: what it
 * has not answered yet is left out, and appears on a later read.
 */
export class ChangeSources {
  static create(options: ChangeSourcesOptions) {
    return new ChangeSources(options);
  }

  /** Revisions already reported as dropped (logged once each). */
  readonly #dropped = new Set<string>();

  private constructor(private readonly options: ChangeSourcesOptions) {}

  /** Annotates `deployments` (of the pipelines' targets) in place. */
  async annotate(
    pipelines: Pipeline[],
    deployments: TargetDeployment[],
  ): Promise<void> {
    const places = placesOf(pipelines);
    const placed = deployments.flatMap(d => {
      const place = places.get(objectKey(d));
      return place ? [{ d, place }] : [];
    });
    const revisions = await this.revisions(placed.map(p => p.d));
    const promotions = new Map<Pipeline, Promise<Promotion[]>>();
    const repositories = new Map<
      string,
      Promise<GitCloneOptions | undefined>
    >();
    for (const { d, place } of placed) {
      const revision = revisions.get(d);
      if (revision) d.sourceRevision = revision;
      else delete d.sourceRevision;
      if (!promotions.has(place.pipeline)) {
        promotions.set(
          place.pipeline,
          this.options.listPromotions(place.pipeline),
        );
      }
      const requester = promotionRequester(
        await promotions.get(place.pipeline)!,
        place.environment,
        d,
      );
      if (requester) d.changedBy = requester;
      const parsed = parseSourceRevision(revision);
      if (parsed?.kind !== 'git') continue;
      const repoKey = JSON.stringify([
        place.pipeline.namespace,
        place.pipeline.name,
        place.environment,
      ]);
      if (!repositories.has(repoKey)) {
        repositories.set(
          repoKey,
          this.options.repositoryFor(place.pipeline, place.environment),
        );
      }
      const repository = await repositories.get(repoKey);
      const commit = repository
        ? this.options.authors.peek(repository, parsed.sha)
        : undefined;
      if (!repository || !commit || commit === 'missing') continue;
      const link = this.options.linkFor(repository.url, parsed.sha);
      if (link) d.commitUrl = link;
      d.changedBy ??= { name: commit.author, via: 'commit' };
    }
  }

  /**
   * Per deployment, its source revision: a Kustomization's own (or the
   * commit its OCI artifact came from); for a HelmRelease, its applying
   * Kustomization's when the version started, else its chart's OCI digest.
   */
  private async revisions(
    deployments: TargetDeployment[],
  ): Promise<Map<TargetDeployment, string>> {
    const out = new Map<TargetDeployment, string>();
    const appliers = new Map<string, FluxObjectRef | undefined>();
    for (const d of deployments) {
      if (d.kind === 'HelmRelease' && !appliers.has(objectKey(d))) {
        appliers.set(objectKey(d), await appliedBy(this.options.appLabels, d));
      }
    }
    const applierRefs = [...appliers.values()].filter(
      (r): r is FluxObjectRef => r !== undefined,
    );
    const applied = new Map<string, TargetDeployment[]>();
    for (const k of await this.options.deployments.listForObjects(
      applierRefs,
    )) {
      applied.set(objectKey(k), [...(applied.get(objectKey(k)) ?? []), k]);
    }
    for (const d of deployments) {
      const stored = this.checked(d, d.sourceRevision);
      const applier = appliers.get(objectKey(d));
      const fromApplier =
        applier && revisionAt(applied.get(objectKey(applier)) ?? [], d);
      const revision =
        d.kind === 'Kustomization'
          ? (parseSourceRevision(stored)?.kind === 'git'
              ? stored
              : undefined) ?? this.checked(d, d.chartVersion)
          : fromApplier ?? stored;
      if (revision) out.set(d, revision);
    }
    return out;
  }

  /** A revision that parses, else undefined (logged, naming the object). */
  private checked(d: TargetDeployment, revision: string | undefined) {
    if (revision === undefined) return undefined;
    const parsed = parseSourceRevision(revision);
    const key = objectKey(d, revision);
    if (!parsed && !this.#dropped.has(key) && this.#dropped.size < 10_000) {
      this.#dropped.add(key);
      this.options.logger.warn(
        `Dropped the source revision of ${d.kind} ${d.namespace}/${d.name} on cluster ${d.cluster}: it is not a Flux source revision`,
        { cluster: d.cluster, namespace: d.namespace, name: d.name },
      );
    }
    return parsed?.revision;
  }
}

function placesOf(pipelines: Pipeline[]): Map<string, Place> {
  const places = new Map<string, Place>();
  for (const pipeline of pipelines) {
    for (const environment of pipeline.environments) {
      for (const target of environment.targets) {
        const key = targetKey(pipeline, target);
        if (!places.has(key)) {
          places.set(key, { pipeline, environment: environment.name });
        }
      }
    }
  }
  return places;
}
