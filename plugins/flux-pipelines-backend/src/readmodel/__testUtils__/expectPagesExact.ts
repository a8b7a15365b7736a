import { mockCredentials } from '@backstage/backend-test-utils';
import { Pipeline } from '@flux-pipelines/plugin-flux-pipelines-common';
import { Server } from 'node:http';
import request from 'supertest';
import { PipelineStatusService } from '../../service/PipelineStatusService';

const BASE = '/api/flux-pipelines';

/**
 * One page as the read model answers it and as the database answers it
 * (`Cache-Control: no-cache`, today's code path), as the bytes sent.
 */
async function both(server: Server, path: string) {
  const get = (fresh: boolean) => {
    const req = request(server)
      .get(`${BASE}${path}`)
      .set('Authorization', mockCredentials.user.header());
    return fresh ? req.set('Cache-Control', 'no-cache') : req;
  };
  const cached = await get(false);
  const fresh = await get(true);
  return {
    path,
    cached: `${cached.status} ${cached.text}`,
    fresh: `${fresh.status} ${fresh.text}`,
  };
}

/**
 * Asserts that every page the read model serves (the overview, each
 * pipeline, each entity's pipelines) is byte-identical to a fresh read of
 * the database. A difference is asked again a few times, since a scenario
 * may still be changing things between the two reads; a read model that
 * missed a change stays wrong and fails.
 */
export async function expectPagesExact(
  server: Server,
  options: { entityRefs?: string[]; attempts?: number } = {},
): Promise<void> {
  const attempts = options.attempts ?? 4;
  const overview = await request(server)
    .get(`${BASE}/pipelines`)
    .set('Authorization', mockCredentials.user.header());
  const items: Array<{ namespace: string; name: string }> =
    overview.body?.items ?? [];
  const paths = [
    '/pipelines',
    ...items.map(
      p =>
        `/pipelines/${encodeURIComponent(p.namespace)}/${encodeURIComponent(
          p.name,
        )}`,
    ),
    ...(options.entityRefs ?? []).map(
      ref => `/pipelines?entityRef=${encodeURIComponent(ref)}`,
    ),
  ];
  for (const path of paths) {
    let answer = await both(server, path);
    for (let i = 1; i < attempts && answer.cached !== answer.fresh; i++) {
      await new Promise(r => setTimeout(r, 250));
      answer = await both(server, path);
    }
    expect({ path, page: answer.cached }).toEqual({ path, page: answer.fresh });
  }
}

/**
 * Asserts, without retrying, that a replica's read model describes the
 * pipelines as a fresh read of the shared database does, whichever replica
 * wrote the deployments.
 */
export async function expectStatusExact(options: {
  readModel: PipelineStatusService;
  database: PipelineStatusService;
  pipelines: Pipeline[];
}): Promise<void> {
  const { readModel, database, pipelines } = options;
  const cached = JSON.stringify(await readModel.describe(pipelines));
  const fresh = JSON.stringify(await database.describe(pipelines));
  expect(cached).toBe(fresh);
}
