import { createServer, IncomingMessage, Server } from 'node:http';

/** A local HTTP server that records every request and answers 401, echoing the credentials it got. */
export async function startCredentialTrap() {
  const requests: Array<{
    method?: string;
    url?: string;
    authorization?: string;
  }> = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    requests.push({
      method: req.method,
      url: req.url,
      authorization: req.headers.authorization,
    });
    req.resume();
    const credentials = req.headers.authorization ?? '(none)';
    res.writeHead(401, {
      'content-type': 'application/json',
      'www-authenticate': 'Basic realm="trap"',
    });
    res.end(
      JSON.stringify({
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason: 'Unauthorized',
        code: 401,
        message: `Bad credentials: ${credentials}`,
      }),
    );
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>(r => {
        server.closeAllConnections?.();
        server.close(() => r());
      }),
  };
}
