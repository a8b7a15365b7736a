import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually } from '../__testUtils__/clients';
import { fluxHarness } from '../__testUtils__/fluxHarness';

describe('webhook forwarding', () => {
  let server: http.Server;
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  let url: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', c => (body += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.end();
      });
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise(r => server.close(r)));

  it('posts each event like notification-controller with generic-hmac: signed body, stripped metadata keys', async () => {
    const h = fluxHarness({
      sim: {
        webhook: {
          url,
          hmacKey: 's3cret',
          eventMetadata: { env: 'dev', cluster: 'main' },
        },
      },
    });
    h.release('6.5.1');
    await h.clock.advance(2000);
    await eventually(() => received.length === 1);
    const [{ headers, body }] = received;
    expect(headers['gotk-component']).toBe('helm-controller');
    expect(headers['content-type']).toBe('application/json');
    expect(headers['x-signature']).toBe(
      `sha256=${createHmac('sha256', 's3cret').update(body).digest('hex')}`,
    );
    expect(JSON.parse(body)).toEqual({
      involvedObject: {
        kind: 'HelmRelease',
        namespace: 'dev',
        name: 'podinfo',
        uid: h.hr().metadata.uid,
        apiVersion: 'helm.toolkit.fluxcd.io/v2',
        resourceVersion: expect.any(String),
      },
      severity: 'info',
      timestamp: '2026-01-01T00:00:02Z',
      message:
        'Helm upgrade succeeded for release dev/podinfo.v2 with chart podinfo@6.5.1',
      reason: 'UpgradeSucceeded',
      metadata: {
        revision: '6.5.1',
        'app-version': '6.5.1',
        env: 'dev',
        cluster: 'main',
      },
      reportingController: 'helm-controller',
      reportingInstance: expect.stringMatching(/^helm-controller-/),
    });
    h.simulator.stop();
  });
});
