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
import { EnvironmentPeriod, InsightsStore } from './InsightsStore';
import { describeEnvironment } from './describeInsights';
import { InsightsQuery } from './insightsQuery';
import { LocalDays } from './localDays';

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
    const asked = [...linked]
      .sort(byRef)
      .map(pipeline => ({ pipeline, periods: periodsOf(pipeline, query) }));
    // Every environment of every pipeline in one set of statements.
    const figures = await this.options.store.scopeFigures(
      asked.flatMap(a => a.periods),
    );
    const days = new LocalDays(query.timeZone);
    let next = 0;
    const pipelines: PipelineInsights[] = asked.map(
      ({ pipeline, periods }) => ({
        namespace: pipeline.namespace,
        name: pipeline.name,
        environments: periods.map(period =>
          describeEnvironment(period, figures[next++], days),
        ),
      }),
    );
    return {
      from: query.from.toISOString(),
      to: query.to.toISOString(),
      scope: query.scope,
      timeZone: query.timeZone,
      entityRefs: entities.map(e => stringifyEntityRef(e)).sort(),
      pipelines,
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

/** The environments of a pipeline asked for (all, or the one named), as periods. */
function periodsOf(
  pipeline: Pipeline,
  query: InsightsQuery,
): EnvironmentPeriod[] {
  const refs = (environment: Pipeline['environments'][number] | undefined) =>
    (environment?.targets ?? []).map(t => targetRef(pipeline, t));
  const firstTargets = refs(pipeline.environments[0]);
  return pipeline.environments.flatMap((environment, index) => {
    if (query.environment && environment.name !== query.environment) return [];
    const previous = pipeline.environments[index - 1];
    return [
      {
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
      },
    ];
  });
}

function byRef(a: Pipeline, b: Pipeline): number {
  return a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name);
}
