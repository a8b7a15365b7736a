import {
  STATUS_CODES,
  IncomingMessage,
  request as httpRequest,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Agent } from 'node:http';
import { KubeConfig } from '@kubernetes/client-node';
import { LineSplitter } from './LineSplitter';

/** Options of {@link openWatchStream}. */
export interface WatchStreamOptions {
  kubeConfig: KubeConfig;
  /** API path, e.g. `/api/v1/events`. */
  path: string;
  /** Query parameters besides `watch=true`; undefined ones are left out. */
  query: Record<string, string | number | boolean | undefined>;
  /** Each watch line, parsed; unparseable lines are skipped. */
  onLine(type: string, object: any): void;
  /** Called once: the stream ended (no error), failed, or was aborted. */
  done(error?: unknown): void;
}

/**
 * One watch request, read by our own newline splitter straight off the HTTP
 * response (client-node's `Watch` runs node-fetch and readline per line,
 * which costs more than the JSON parsing under a burst of events). The same
 * contract as `Watch.watch`: authentication, TLS and proxies come from the
 * KubeConfig (`applyToFetchOptions`), a status other than 200 ends it with an
 * error carrying `statusCode`, and the returned controller aborts it. Resolves
 * once the server answered (or the request failed, after `done`).
 */
export async function openWatchStream(
  options: WatchStreamOptions,
): Promise<AbortController> {
  const { kubeConfig, path, query } = options;
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw new Error('No currently active cluster');
  const url = new URL(cluster.server + path);
  url.searchParams.set('watch', 'true');
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  const init = await kubeConfig.applyToFetchOptions({});
  const headers: Record<string, string> = {};
  (init.headers as unknown as Headers | undefined)?.forEach((value, key) => {
    headers[key] = value;
  });
  const controller = new AbortController();
  let called = false;
  const doneOnce = (error?: unknown) => {
    if (called) return;
    called = true;
    controller.abort();
    options.done(error);
  };
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<AbortController>(resolve => {
    const req = request(url, {
      method: 'GET',
      headers,
      agent: init.agent as Agent | undefined,
      signal: controller.signal,
    });
    req.on('socket', socket => socket.setKeepAlive(true, 30_000));
    req.on('error', error => {
      doneOnce(error);
      resolve(controller);
    });
    req.on('response', response => {
      resolve(controller);
      if (response.statusCode !== 200) {
        response.resume();
        doneOnce(statusError(response));
        return;
      }
      readLines(response, options.onLine, doneOnce);
    });
    req.end();
  });
}

function readLines(
  response: IncomingMessage,
  onLine: WatchStreamOptions['onLine'],
  done: (error?: unknown) => void,
) {
  const splitter = new LineSplitter(line => {
    let data: any;
    try {
      data = JSON.parse(line);
    } catch {
      return; // as client-node: a broken line is skipped
    }
    onLine(data?.type, data?.object);
  });
  response.on('data', (chunk: Buffer) => splitter.push(chunk));
  response.on('error', error => done(error));
  response.on('end', () => {
    splitter.end();
    done();
  });
  response.on('close', () => done());
}

function statusError(response: IncomingMessage): Error {
  const status = response.statusCode ?? 0;
  const text =
    response.statusMessage || STATUS_CODES[status] || 'Internal Server Error';
  return Object.assign(new Error(text), { statusCode: status });
}
