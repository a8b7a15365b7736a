import { mockCredentials } from '@backstage/backend-test-utils';
import { Pipeline } from '@flux-pipelines/plugin-flux-pipelines-common';
import { Server } from 'node:http';
import request from 'supertest';
import { PipelineStatusService } from '../../service/PipelineStatusService';

const BASE = '/api/flux-pipelines';

/**
 * One page as the read model answers it, between two fresh reads of the
 * database (`Cache-Control: no-cache`, today's code path), as the bytes sent.
 * When both fresh reads agree, nothing changed while the read model answered,
 * so its answer must be the same bytes.
 */
async function bracketed(server: Server, path: string) {
  const get = async (fresh: boolean) => {
    const req = request(server)
      .get(`${BASE}${path}`)
      .set('Authorization', mockCredentials.user.header());
    const res = await (fresh ? req.set('Cache-Control', 'no-cache') : req);
    return `${res.status} ${res.text}`;
  };
  const before = await get(true);
  const cached = await get(false);
  const after = await get(true);
  return { cached, before, after };
}

/**
 * Reads `read()` until the database stood still around the read model's
 * answer (`before` equals `after`), then asserts the answer is that state.
 * A read model that missed a change fails at once; one that answered while
 * the scenario was still writing is asked again.
 */
async function expectSameAsStillDatabase(
  label: string,
  read: () => Promise<{ cached: string; before: string; after: string }>,
  attempts: number,
): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    const { cached, before, after } = await read();
    if (before === after) {
      expect({ label, page: cached }).toEqual({ label, page: before });
      return;
    }
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(
    `${label}: the database changed during each of ${attempts} reads; the read model could not be compared`,
  );
}

/**
 * Asserts that every page the read model serves (the overview, each
 * pipeline, each entity's pipelines) is byte-identical to a fresh read of
 * the database made just before and just after it, once those two agree.
 */
export async function expectPagesExact(
  server: Server,
  options: { entityRefs?: string[]; attempts?: number } = {},
): Promise<void> {
  const attempts = options.attempts ?? 40;
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
    await expectSameAsStillDatabase(
      path,
      () => bracketed(server, path),
      attempts,
    );
  }
}

/**
 * Asserts that a replica's read model describes the pipelines as a fresh
 * read of the shared database does, whichever replica wrote the deployments
 * (compared while the database stood still, see {@link expectPagesExact}).
 */
export async function expectStatusExact(options: {
  readModel: PipelineStatusService;
  database: PipelineStatusService;
  pipelines: Pipeline[];
}): Promise<void> {
  const { readModel, database, pipelines } = options;
  const describe = async (service: PipelineStatusService) =>
    JSON.stringify(await service.describe(pipelines));
  await expectSameAsStillDatabase(
    'pipelines status',
    async () => {
      const before = await describe(database);
      const cached = await describe(readModel);
      const after = await describe(database);
      return { cached, before, after };
    },
    40,
  );
}
