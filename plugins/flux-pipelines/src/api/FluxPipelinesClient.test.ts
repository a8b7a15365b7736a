import { MockFetchApi, registerMswTestHooks } from '@backstage/test-utils';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { FluxPipelinesClient } from './FluxPipelinesClient';

const server = setupServer();
registerMswTestHooks(server);

const baseUrl = 'http://backstage.test/api/flux-pipelines';
const client = new FluxPipelinesClient({
  discoveryApi: { getBaseUrl: async () => baseUrl },
  fetchApi: new MockFetchApi(),
});

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
        HttpResponse.json(
          {
            error: { name: 'NotFoundError', message: 'No entity x' },
            response: { statusCode: 404 },
          },
          { status: 404 },
        ),
      ),
    );
    const error = await client.listPipelines().catch(e => e);
    expect(error.name).toBe('ResponseError');
    expect(error.statusCode).toBe(404);
    expect(error.cause.message).toBe('No entity x');
  });
});
