import { Pipeline, Promotion } from '@flux-pipelines/plugin-flux-pipelines-common';
import { createHmac } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { createServer, Server } from 'node:http';
import { Secret } from '../../clusters/ClusterDefinition';
import { NotificationStrategy } from './NotificationStrategy';

const pipeline: Pipeline = {
  namespace: 'flux-system',
  name: 'checkout',
  source: 'cluster',
  appRef: {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    name: 'checkout',
  },
  environments: [
    { name: 'dev', targets: [{ cluster: 'main', namespace: 'dev' }] },
    { name: 'prod', targets: [{ cluster: 'prod-eu', namespace: 'prod' }] },
  ],
};
const promotion: Promotion = {
  id: '5b4c3f0e-0000-4000-8000-000000000001',
  pipelineNamespace: 'flux-system',
  pipelineName: 'checkout',
  environment: 'prod',
  fromEnvironment: 'dev',
  version: '1.2.3',
  trigger: 'manual',
  strategy: 'notification',
  state: 'in-progress',
  requestedBy: 'user:default/ada',
  requestedAt: '2026-11-26T10:00:00.000Z',
  updatedAt: '2026-11-26T10:00:00.000Z',
};
const context = {
  pipeline,
  promotion,
  spec: { type: 'notification' as const },
  author: { name: 'Ada', email: 'ada@example.com' },
};

describe('NotificationStrategy', () => {
  let server: Server;
  let url: string;
  let status = 202;
  const received: Array<{ headers: any; body: string }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', c => (body += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.statusCode = status;
        res.end();
      });
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/promote`;
  });
  afterAll(() => new Promise(r => server.close(r)));
  beforeEach(() => {
    received.length = 0;
    status = 202;
  });

  it('posts the promotion, signed with the HMAC of the raw body', async () => {
    const strategy = new NotificationStrategy({ url, hmacKey: 'k3y' });
    expect(await strategy.promote(context)).toEqual({ state: 'notified' });
    expect(received).toHaveLength(1);
    const [{ headers, body }] = received;
    const expected = createHmac('sha256', 'k3y').update(body).digest('hex');
    expect(headers['x-signature']).toBe(`sha256=${expected}`);
    expect(headers['content-type']).toBe('application/json');
    expect(headers['idempotency-key']).toBe(promotion.id);
    expect(JSON.parse(body)).toEqual({
      type: 'flux-pipelines.promotion',
      promotionId: promotion.id,
      pipeline: { namespace: 'flux-system', name: 'checkout' },
      environment: 'prod',
      fromEnvironment: 'dev',
      version: '1.2.3',
      trigger: 'manual',
      requestedBy: 'user:default/ada',
      app: { kind: 'HelmRelease', name: 'checkout' },
      targets: [{ cluster: 'prod-eu', namespace: 'prod' }],
    });
    expect(body).not.toContain('k3y');
  });

  it('signs with the hmac-key of the pipeline secretRef when app-config sets no key, and never posts unsigned', async () => {
    const strategy = new NotificationStrategy({ url });
    const withKey = {
      ...context,
      credentials: { hmacKey: new Secret('fr0m-the-secret') },
    };
    expect(await strategy.promote(withKey)).toEqual({ state: 'notified' });
    const [{ headers, body }] = received;
    const expected = createHmac('sha256', 'fr0m-the-secret')
      .update(body)
      .digest('hex');
    expect(headers['x-signature']).toBe(`sha256=${expected}`);

    // A configured key wins over the Secret's.
    await new NotificationStrategy({ url, hmacKey: 'k3y' }).promote(withKey);
    expect(received[1].headers['x-signature']).toBe(
      `sha256=${createHmac('sha256', 'k3y')
        .update(received[1].body)
        .digest('hex')}`,
    );

    await expect(strategy.promote(context)).rejects.toThrow(
      /cannot be signed: set fluxPipelines.promotion.notification.hmacKey/,
    );
    expect(received).toHaveLength(2);
  });

  it('fails with the status when the receiver refuses, without leaking the key', async () => {
    status = 500;
    const strategy = new NotificationStrategy({ url, hmacKey: 'k3y' });
    const error = await strategy.promote(context).catch(e => e);
    expect(error.message).toMatch(/was refused: HTTP 500/);
    expect(error.message).not.toContain('k3y');
  });

  it('fails clearly when the receiver cannot be reached', async () => {
    const strategy = new NotificationStrategy({
      url: 'http://127.0.0.1:1/promote',
      hmacKey: 'k3y',
    });
    await expect(strategy.promote(context)).rejects.toThrow(
      /Promotion notification to http:\/\/127.0.0.1:1 failed/,
    );
  });
});
