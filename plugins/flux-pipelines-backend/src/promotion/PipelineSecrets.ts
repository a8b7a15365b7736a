import { ConflictError, ServiceUnavailableError } from '@backstage/errors';
import {
  Pipeline,
  PromotionStrategySpec,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { ApiException, CoreV1Api, V1Secret } from '@kubernetes/client-node';
import { ClusterDefinition, Secret } from '../clusters/ClusterDefinition';
import { describeError } from '../clusters/describeError';
import { abortable } from '../clusters/listResource';
import { toKubeConfig } from '../clusters/toKubeConfig';
import { PromotionCredentials } from './types';

/** How long reading a Secret may take before the promotion fails. */
const READ_TIMEOUT_MS = 15_000;

/** Options of {@link PipelineSecrets}. */
export interface PipelineSecretsOptions {
  /** The clusters the backend watches (and so may read Secrets on). */
  clusters: ClusterDefinition[];
  /** The cluster a pipeline's Pipeline object was read from; none for configured pipelines. */
  originCluster: (pipeline: Pipeline) => Promise<string | undefined>;
}

/**
 * Reads the Secret a promotion strategy names by `secretRef`, as Weave
 * GitOps does: `<pipeline namespace>/<secretRef>` on the cluster the
 * Pipeline object comes from, with the backend's credentials for that
 * cluster. Git strategies take its `token` key (or `password`), the
 * notification strategy its `hmac-key`. Nothing is cached: every promotion
 * reads the Secret again, so a rotated token is used at once. Errors name
 * the Secret, the cluster and the key, never a value.
 */
export class PipelineSecrets {
  constructor(private readonly options: PipelineSecretsOptions) {}

  /** The credentials for a strategy, or undefined when it names no Secret. */
  async credentialsFor(
    pipeline: Pipeline,
    spec: PromotionStrategySpec,
  ): Promise<PromotionCredentials | undefined> {
    const name = spec.secretRef;
    if (!name) return undefined;
    const ref = `${pipeline.namespace}/${name}`;
    if (pipeline.source !== 'cluster') {
      throw new ConflictError(
        `Pipeline ${pipeline.namespace}/${pipeline.name} names Secret ${ref} by secretRef, but it is configured in app-config, not read from a cluster, so there is no cluster to read the Secret from; configure a token for the repository's host under integrations instead`,
      );
    }
    const origin = await this.options.originCluster(pipeline);
    if (!origin) {
      throw new ConflictError(
        `Secret ${ref} cannot be read: the cluster pipeline ${pipeline.namespace}/${pipeline.name} comes from is not known`,
      );
    }
    const cluster = this.options.clusters.find(c => c.name === origin);
    if (!cluster) {
      throw new ConflictError(
        `Secret ${ref} cannot be read: cluster ${origin}, where pipeline ${pipeline.namespace}/${pipeline.name} comes from, is not configured`,
      );
    }
    const secret = await this.read(cluster, pipeline.namespace, name);
    const where = `Secret ${ref} on cluster ${cluster.name}`;
    if (spec.type === 'notification') {
      return { hmacKey: valueOf(secret, 'hmac-key', where) };
    }
    const key = secret.data?.token !== undefined ? 'token' : 'password';
    return {
      token: valueOf(secret, key, where, "no 'token' key"),
    };
  }

  private async read(
    cluster: ClusterDefinition,
    namespace: string,
    name: string,
  ): Promise<V1Secret> {
    try {
      return await toKubeConfig(cluster)
        .makeApiClient(CoreV1Api)
        .readNamespacedSecret(
          { namespace, name },
          abortable(AbortSignal.timeout(READ_TIMEOUT_MS)),
        );
    } catch (error) {
      const where = `Secret ${namespace}/${name} on cluster ${cluster.name}`;
      if (error instanceof ApiException && error.code === 404) {
        throw new ConflictError(`${where} was not found`);
      }
      const token =
        cluster.auth.type === 'serviceAccount'
          ? [cluster.auth.token.reveal()]
          : [];
      throw new ServiceUnavailableError(
        `Cannot read ${where}: ${describeError(error, token).message}`,
      );
    }
  }
}

/** One key of a Secret, decoded; its absence named in the error. */
function valueOf(
  secret: V1Secret,
  key: string,
  where: string,
  missing = `no '${key}' key`,
): Secret {
  const encoded = secret.data?.[key];
  const value =
    encoded === undefined
      ? ''
      : Buffer.from(encoded, 'base64').toString('utf8').trim();
  if (!value) throw new ConflictError(`${where} has ${missing}`);
  return new Secret(value);
}
