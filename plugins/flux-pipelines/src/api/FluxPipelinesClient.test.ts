import { MockFetchApi, registerMswTestHooks } from '@backstage/test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { ExecutionsQuery } from './FluxPipelinesApi';
import { FluxPipelinesClient } from './FluxPipelinesClient';

const server = setupServer();
registerMswTestHooks(server);

const baseUrl = 'http://backstage.test/api/flux-pipelines';
const client = new FluxPipelinesClient({
  discoveryApi: { getBaseUrl: async () => baseUrl },
  fetchApi: new MockFetchApi(),
});
const podinfo = { namespace: 'flux-system', name: 'podinfo' };
const pipelineUrl = `${baseUrl}/pipelines/flux-system/podinfo`;

function backstageError(status: number, name: string, message: string) {
  return HttpResponse.json(
    { error: { name, message }, response: { statusCode: status } },
    { status },
  );
}

/** What getExecutions sends for `query`; the server answers an empty page of `totalCount`. */
async function executionsAsked(query: ExecutionsQuery, totalCount = 0) {
  let url: URL | undefined;
  server.use(
    http.get(`${pipelineUrl}/executions`, ({ request }) => {
      url = new URL(request.url);
      return HttpResponse.json({ items: [], totalCount, limit: 20, offset: 0 });
    }),
  );
  const page = await client.getExecutions(podinfo, query);
  return { page, params: Object.fromEntries(url!.searchParams) };
}

describe('FluxPipelinesClient', () => {
  it('asks for the pipelines of one entity', async () => {
    server.use(
      http.get(`${baseUrl}/pipelines`, ({ request }) =>
        HttpResponse.json({
          items: [{ name: new URL(request.url).searchParams.get('entityRef') }],
        }),
      ),
    );
    const items = await client.getPipelinesForEntity(
      'component:default/podinfo',
    );
    expect(items).toEqual([{ name: 'component:default/podinfo' }]);
  });

  it('throws a ResponseError carrying the backend status and message', async () => {
    server.use(
      http.get(`${baseUrl}/pipelines`, () =>
        backstageError(404, 'NotFoundError', 'No entity x'),
      ),
    );
    const error = await client.listPipelines().catch(e => e);
    expect(error.name).toBe('ResponseError');
    expect(error.statusCode).toBe(404);
    expect(error.cause.message).toBe('No entity x');
  });

  it('pages and filters executions on the server', async () => {
    const { page, params } = await executionsAsked(
      { limit: 10, offset: 20, status: 'failed' },
      31,
    );
    expect(page.totalCount).toBe(31);
    expect(params).toEqual({
      limit: '10',
      offset: '20',
      status: 'failed',
    });
  });

  it('asks for the executions behind an insights figure: environment, deployment statuses, period', async () => {
    const { params } = await executionsAsked({
      deployments: {
        environment: 'prod',
        statuses: ['failed', 'rolled-back'],
        from: '2026-11-01T00:00:00.000Z',
        to: '2026-12-01T00:00:00.000Z',
      },
    });
    expect(params).toEqual({
      environment: 'prod',
      deploymentStatus: 'failed,rolled-back',
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-12-01T00:00:00.000Z',
    });
  });

  it('reads the event timeline of an environment', async () => {
    server.use(
      http.get(`${pipelineUrl}/environments/prod/events`, ({ request }) =>
        HttpResponse.json({
          items: [{ reason: new URL(request.url).searchParams.get('limit') }],
        }),
      ),
    );
    const events = await client.getEnvironmentEvents(podinfo, 'prod', {
      limit: 50,
    });
    expect(events.items).toEqual([{ reason: '50' }]);
  });

  it('asks for the preview of a promotion', async () => {
    server.use(
      http.get(`${pipelineUrl}/promotions/preview`, ({ request }) => {
        const params = new URL(request.url).searchParams;
        return HttpResponse.json({
          environment: params.get('environment'),
          to: { version: params.get('version') },
        });
      }),
    );
    const preview = await client.getPromotionPreview(podinfo, {
      environment: 'test',
      version: '6.1.0',
    });
    expect(preview).toEqual({ environment: 'test', to: { version: '6.1.0' } });
  });

  it('posts a promotion request as JSON', async () => {
    let body: unknown;
    server.use(
      http.post(`${pipelineUrl}/promotions`, async ({ request }) => {
        body = await request.json();
        return HttpResponse.json(
          { id: 'p1', state: 'requested' },
          {
            status: 201,
          },
        );
      }),
    );
    const promotion = await client.createPromotion(podinfo, {
      environment: 'test',
      version: '6.1.0',
      entityRef: 'component:default/podinfo',
      rollback: true,
    });
    expect(promotion).toEqual({ id: 'p1', state: 'requested' });
    expect(body).toEqual({
      environment: 'test',
      version: '6.1.0',
      entityRef: 'component:default/podinfo',
      rollback: true,
    });
  });

  it('gives the reason of a refused promotion', async () => {
    server.use(
      http.post(`${pipelineUrl}/promotions`, () =>
        backstageError(409, 'ConflictError', '6.1.0 has not succeeded in dev'),
      ),
    );
    const error = await client
      .createPromotion(podinfo, { environment: 'test', version: '6.1.0' })
      .catch(e => e);
    expect(error.statusCode).toBe(409);
    expect(error.cause.message).toBe('6.1.0 has not succeeded in dev');
  });

  it('approves a promotion for an entity', async () => {
    let body: unknown;
    server.use(
      http.post(
        `${pipelineUrl}/promotions/p%201/approve`,
        async ({ request }) => {
          body = await request.json();
          return HttpResponse.json({ id: 'p 1', state: 'in-progress' });
        },
      ),
    );
    const promotion = await client.approvePromotion(podinfo, 'p 1', {
      entityRef: 'component:default/podinfo',
    });
    expect(promotion.state).toBe('in-progress');
    expect(body).toEqual({ entityRef: 'component:default/podinfo' });
  });

  it('releases a hold with DELETE and accepts an empty 204', async () => {
    let entityRef: string | null = null;
    server.use(
      http.delete(`${pipelineUrl}/environments/prod/hold`, ({ request }) => {
        entityRef = new URL(request.url).searchParams.get('entityRef');
        return new HttpResponse(null, { status: 204 });
      }),
    );
    await expect(
      client.releaseHold(podinfo, 'prod', {
        entityRef: 'component:default/podinfo',
      }),
    ).resolves.toBeUndefined();
    expect(entityRef).toBe('component:default/podinfo');
  });

  it('asks for insights of an owner over a period, leaving out unset parameters', async () => {
    let url: URL | undefined;
    server.use(
      http.get(`${baseUrl}/insights`, ({ request }) => {
        url = new URL(request.url);
        return HttpResponse.json({ pipelines: [] });
      }),
    );
    await client.getInsights({
      owner: 'group:default/platform',
      from: '2026-11-01T00:00:00.000Z',
      environment: undefined,
    });
    expect(Object.fromEntries(url!.searchParams)).toEqual({
      owner: 'group:default/platform',
      from: '2026-11-01T00:00:00.000Z',
    });
  });
});
