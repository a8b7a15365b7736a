import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  InsightsResponse,
  Pipeline,
  PipelineInsights,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { PipelineStore } from '../database/PipelineStore';
import { targetRef } from '../domain/objectKey';
import { pipelinesForEntity } from '../service/pipelinesForEntity';
import { InsightsStore } from './InsightsStore';
import { describeEnvironment } from './describeInsights';
import { InsightsQuery } from './insightsQuery';

/** The catalog relation that ties entities to an owner or a system. */
const RELATIONS = {
  owner: { filter: 'relations.ownedBy', defaultKind: 'group' },
  system: { filter: 'relations.partOf', defaultKind: 'system' },
} as const;

/** What finding an entity's pipelines needs of it. */
const ENTITY_FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'metadata.annotations',
];

/**
 * Delivery insights of an entity, or of every entity of an owner or a
 * system: finds their pipelines as `GET /pipelines?entityRef=` does, with the
 * caller's own catalog access, and has the database compute each
 * environment's figures.
 */
export class InsightsService {
  private constructor(
    private readonly options: {
      store: InsightsStore;
      pipelines: PipelineStore;
      catalog: CatalogService;
      withOverrides: (pipeline: Pipeline) => Pipeline;
    },
  ) {}

  static create(options: {
    store: InsightsStore;
    pipelines: PipelineStore;
    catalog: CatalogService;
    withOverrides?: (pipeline: Pipeline) => Pipeline;
  }): InsightsService {
    return new InsightsService({
      ...options,
      withOverrides: options.withOverrides ?? (p => p),
    });
  }

  async insights(
    query: InsightsQuery,
    credentials: BackstageCredentials,
  ): Promise<InsightsResponse> {
    const entities = await this.entities(query.scope, credentials);
    const stored = (await this.options.pipelines.listPipelines()).map(
      this.options.withOverrides,
    );
    const linked = new Set<Pipeline>();
    for (const entity of entities) {
      for (const p of await pipelinesForEntity(
        entity,
        stored,
        this.options.pipelines,
      )) {
        linked.add(p);
      }
    }
    const pipelines: PipelineInsights[] = [];
    // One pipeline after another: a team's request does not queue hundreds
    // of queries on the database's connections at once.
    for (const pipeline of [...linked].sort(byRef)) {
      pipelines.push(await this.pipelineInsights(pipeline, query));
    }
    return {
      from: query.from.toISOString(),
      to: query.to.toISOString(),
      scope: query.scope,
      entityRefs: entities.map(e => stringifyEntityRef(e)).sort(),
      pipelines,
    };
  }

  private async pipelineInsights(
    pipeline: Pipeline,
    query: InsightsQuery,
  ): Promise<PipelineInsights> {
    const refs = (environment: Pipeline['environments'][number] | undefined) =>
      (environment?.targets ?? []).map(t => targetRef(pipeline, t));
    const firstTargets = refs(pipeline.environments[0]);
    const asked = pipeline.environments.flatMap((environment, index) =>
      !query.environment || environment.name === query.environment
        ? [{ environment, previous: pipeline.environments[index - 1] }]
        : [],
    );
    return {
      namespace: pipeline.namespace,
      name: pipeline.name,
      environments: await Promise.all(
        asked.map(async ({ environment, previous }) => {
          const period = {
            pipeline: { namespace: pipeline.namespace, name: pipeline.name },
            environment: environment.name,
            targets: refs(environment),
            firstTargets,
            previous: previous && {
              environment: previous.name,
              targets: refs(previous),
            },
            from: query.from,
            to: query.to,
          };
          const figures = await this.options.store.environmentFigures(period);
          return describeEnvironment(period, figures);
        }),
      ),
    };
  }

  /** The entities asked for, as the caller may see them in the catalog; none is a 404. */
  private async entities(
    scope: InsightsQuery['scope'],
    credentials: BackstageCredentials,
  ): Promise<Entity[]> {
    const { catalog } = this.options;
    if (scope.entityRef) {
      const entity = await catalog.getEntityByRef(scope.entityRef, {
        credentials,
      });
      if (!entity) throw new NotFoundError(`No entity ${scope.entityRef}`);
      return [entity];
    }
    const by = scope.owner ? 'owner' : 'system';
    const relation = RELATIONS[by];
    const ref = stringifyEntityRef(
      parseEntityRef(String(scope[by]), {
        defaultKind: relation.defaultKind,
        defaultNamespace: 'default',
      }),
    );
    const { items } = await catalog.getEntities(
      { filter: { [relation.filter]: ref }, fields: ENTITY_FIELDS },
      { credentials },
    );
    if (!items.length) {
      throw new NotFoundError(`No entities with ${by} ${ref}`);
    }
    return items;
  }
}

function byRef(a: Pipeline, b: Pipeline): number {
  return a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name);
}
