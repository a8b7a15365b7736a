import { Pipeline } from '@flux-pipelines/plugin-flux-pipelines-common';
import { CanaryStore } from '../database/CanaryStore';
import { DeploymentStore } from '../database/DeploymentStore';
import {
  ListedObjectEvidence,
  currentRecord,
  listedObjects,
} from '../domain/gates';

/** Where the evidence on listed objects is read; none known without a store. */
export interface ListedObjectStores {
  deployments?: Pick<DeploymentStore, 'listForObject'>;
  canaries?: Pick<CanaryStore, 'verdict'>;
}

/**
 * What is stored of each object the health gate of environment `index`
 * lists, on the cluster of each target of the previous environment (the
 * namespace the gate names, else the target's). Only these exact objects
 * are read: a tenant's same-named object in another namespace is another
 * object. Undefined when the gate lists none.
 */
export async function gatherListedObjects(options: {
  pipeline: Pipeline;
  index: number;
  version: string;
  stores: ListedObjectStores;
}): Promise<ListedObjectEvidence[] | undefined> {
  const { pipeline, index, version, stores } = options;
  const listed = listedObjects(pipeline.environments[index]?.gates);
  const previous = pipeline.environments[index - 1];
  if (!listed.length || !previous) return undefined;
  const wanted = new Map<string, Omit<ListedObjectEvidence, 'newest'>>();
  for (const t of previous.targets) {
    for (const o of listed) {
      const ref = {
        kind: o.kind,
        cluster: t.cluster,
        namespace: o.namespace ?? t.namespace,
        name: o.name,
      };
      wanted.set(JSON.stringify(ref), ref);
    }
  }
  return Promise.all(
    [...wanted.values()].map(async ref => {
      if (ref.kind === 'Canary') {
        const canary = await stores.canaries?.verdict({
          cluster: ref.cluster,
          namespace: ref.namespace,
          canary: ref.name,
          version,
        });
        return { ...ref, ...(canary ? { canary } : {}) };
      }
      const newest = currentRecord(
        (await stores.deployments?.listForObject({
          ...ref,
          kind: ref.kind,
        })) ?? [],
      );
      return { ...ref, ...(newest ? { newest } : {}) };
    }),
  );
}
