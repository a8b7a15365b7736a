import { AuthService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  FLUX_PIPELINES_ANNOTATION,
  KUBERNETES_ID_ANNOTATION,
  Pipeline,
  parsePipelineRefs,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { AppLabelStore } from '../database/AppLabelStore';
import { pipelineRefs } from '../domain/objectKey';
import { KUBERNETES_ID_LABEL } from './pipelinesForEntity';

const FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'metadata.annotations',
];

/**
 * Finds, on the server's own authority, every catalog entity that links a
 * pipeline: those whose `flux-pipelines.io/pipelines` annotation names it, and
 * those whose `backstage.io/kubernetes-id` annotation is the value of the
 * `backstage.io/kubernetes-id` label on the pipeline's app on any of its
 * targets. This is the inverse of {@link pipelinesForEntity}; whoever may act
 * on a pipeline must be allowed on all of them, so an entity someone
 * registers, or a label someone puts on an app, can only add entities to
 * that set, never take the pipeline's own entities out of it.
 */
export class LinkedEntities {
  private constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      appLabels: Pick<AppLabelStore, 'labelValues'>;
    },
  ) {}

  static create(options: {
    catalog: CatalogService;
    auth: AuthService;
    appLabels: Pick<AppLabelStore, 'labelValues'>;
  }): LinkedEntities {
    return new LinkedEntities(options);
  }

  /** The refs of the entities linking `pipeline`, sorted, each once. */
  async of(pipeline: Pipeline): Promise<string[]> {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const labelValues = await this.options.appLabels.labelValues(
      pipelineRefs(pipeline),
      KUBERNETES_ID_LABEL,
    );
    const [annotated, labelled] = await Promise.all([
      this.options.catalog.getEntities(
        {
          filter: {
            [`metadata.annotations.${FLUX_PIPELINES_ANNOTATION}`]:
              CATALOG_FILTER_EXISTS,
          },
          fields: FIELDS,
        },
        { credentials },
      ),
      labelValues.length
        ? this.options.catalog.getEntities(
            {
              filter: {
                [`metadata.annotations.${KUBERNETES_ID_ANNOTATION}`]:
                  labelValues,
              },
              fields: FIELDS,
            },
            { credentials },
          )
        : { items: [] as Entity[] },
    ]);
    const refs = new Set<string>();
    for (const entity of annotated.items) {
      const named = parsePipelineRefs(
        entity.metadata.annotations?.[FLUX_PIPELINES_ANNOTATION],
      );
      if (
        named.some(
          r => r.namespace === pipeline.namespace && r.name === pipeline.name,
        )
      ) {
        refs.add(stringifyEntityRef(entity));
      }
    }
    for (const entity of labelled.items) {
      // The catalog matched the annotation; trimmed as pipelinesForEntity does.
      const id = entity.metadata.annotations?.[KUBERNETES_ID_ANNOTATION];
      if (id && labelValues.includes(id.trim())) {
        refs.add(stringifyEntityRef(entity));
      }
    }
    return [...refs].sort();
  }
}
