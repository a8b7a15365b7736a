import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { ApiError } from '../store/ApiError';
import { ResourceStore } from '../store/ResourceStore';
import { FaultController } from '../faults/FaultController';
import { TokenAuthenticator } from './auth';
import { ControlRoutes } from './controlRoutes';
import { discoveryDocument, versionInfo } from './discovery';
import { sendError, sendJson } from './http';
import { openApiDocument } from './openapi';
import { parseApiPath } from './requestPath';
import { ResourceHandlers } from './resourceHandlers';
import { WatchHub } from './watch';

export interface ApiServerOptions {
  store: ResourceStore;
  watches: WatchHub;
  faults: FaultController;
  auth: TokenAuthenticator;
  control: ControlRoutes;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** PEM key and certificate to serve HTTPS with. */
  tls?: { key: string; cert: string };
}

/** The HTTP(S) front of the stand-in: control routes, injected faults, auth, discovery, resources. */
export class ApiServer {
  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(options: ApiServerOptions): Promise<ApiServer> {
    const handlers = new ResourceHandlers(options.store, options.watches);
    const host = options.host ?? '127.0.0.1';
    const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
      handle(req, res).catch(error => sendError(res, error));
    };
    const server = options.tls
      ? https.createServer(options.tls, listener)
      : http.createServer(listener);
    let address = '';

    async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const pathname = url.pathname.replace(/\/+$/, '') || '/';
      if (pathname.startsWith('/_sim/'))
        return options.control.handle(req, res, pathname);
      await options.faults.beforeRequest();
      if (pathname === '/version') return sendJson(res, 200, versionInfo());
      if (['/healthz', '/readyz', '/livez'].includes(pathname)) {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        return res.end('ok');
      }
      const grant = options.auth.authenticate(req);
      if (pathname.startsWith('/openapi/v3'))
        return sendJson(res, 200, openApiDocument(pathname));
      const target = parseApiPath(pathname);
      if (!target) {
        throw new ApiError({
          code: 404,
          reason: 'NotFound',
          message: 'the server could not find the requested resource',
          details: {},
        });
      }
      if (target.kind === 'discovery')
        return sendJson(res, 200, discoveryDocument(pathname, address));
      const verb = ResourceHandlers.verbOf(
        req.method ?? 'GET',
        target,
        url.searchParams,
      );
      options.auth.authorize(
        grant,
        verb,
        target.type,
        target.namespace,
        target.name,
      );
      return handlers.handle(req, res, target, url.searchParams);
    }

    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    address = `${host}:${port}`;
    return new ApiServer(
      server,
      `${options.tls ? 'https' : 'http'}://${address}`,
    );
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }
}
