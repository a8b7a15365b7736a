import { Knex } from 'knex';
import { AsyncLocalStorage } from 'node:async_hooks';
import { IncomingMessage, Server, ServerResponse } from 'node:http';

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Records the database queries each HTTP request of `server` makes itself
 * (whatever else the backend does meanwhile is not counted): every request
 * runs in an async context of its own, and a query started within it is
 * its query. `queriesOf(path)` lists the SQL of the last request whose URL
 * started with `path`; `stop()` restores the server.
 */
export function recordRequestQueries(server: Server, knex: Knex) {
  const context = new AsyncLocalStorage<string[]>();
  const byUrl = new Map<string, string[]>();
  const listeners = server.listeners('request') as Listener[];
  server.removeAllListeners('request');
  const traced: Listener = (req, res) => {
    const queries: string[] = [];
    byUrl.set(req.url ?? '', queries);
    context.run(queries, () => {
      for (const listener of listeners) listener.call(server, req, res);
    });
  };
  server.on('request', traced);
  const onQuery = (query: { sql: string }) =>
    context.getStore()?.push(query.sql);
  knex.on('query', onQuery);
  return {
    queriesOf(path: string): string[] {
      const found = [...byUrl].filter(([url]) => url.startsWith(path)).pop();
      if (!found) throw new Error(`no request to ${path} was recorded`);
      return found[1];
    },
    stop() {
      knex.off('query', onQuery);
      server.off('request', traced);
      for (const listener of listeners) server.on('request', listener);
    },
  };
}
