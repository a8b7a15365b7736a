import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../store/ApiError';
import { FaultController } from '../faults/FaultController';
import { FAULT_ACTIONS, FaultAction, applyFault } from '../faults/applyFault';
import { readBody, sendJson } from './http';

/** Extra control handlers (e.g. the simulator's), keyed by `METHOD /_sim/path`. */
export type ControlHandler = (body: any) => unknown | Promise<unknown>;

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * The loopback-only control endpoint under `/_sim/`:
 * `GET /_sim/faults` shows the fault state; `POST /_sim/faults/<action>` (or `POST /_sim/faults`
 * with `{"action": ...}`) injects one.
 */
export class ControlRoutes {
  private readonly extra = new Map<string, ControlHandler>();

  constructor(private readonly faults: FaultController) {}

  register(method: 'GET' | 'POST', path: string, handler: ControlHandler) {
    this.extra.set(`${method} ${path}`, handler);
  }

  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    pathname: string,
  ): Promise<void> {
    if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) {
      throw new ApiError({
        code: 403,
        reason: 'Forbidden',
        message: 'the control endpoint only answers loopback clients',
      });
    }
    const text = req.method === 'POST' ? await readBody(req) : '';
    let body: any = {};
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      throw ApiError.badRequest('control request body must be JSON');
    }
    const extra = this.extra.get(`${req.method} ${pathname}`);
    if (extra) return sendJson(res, 200, (await extra(body)) ?? {});
    if (req.method === 'GET' && pathname === '/_sim/faults')
      return sendJson(res, 200, this.faults.state());
    if (req.method === 'POST' && pathname.startsWith('/_sim/faults')) {
      const action =
        pathname === '/_sim/faults'
          ? body.action
          : pathname.slice('/_sim/faults/'.length);
      if (!FAULT_ACTIONS.includes(action)) {
        throw ApiError.badRequest(
          `unknown fault action '${action}'; expected one of ${FAULT_ACTIONS.join(
            ', ',
          )}`,
        );
      }
      const result = applyFault(this.faults, {
        ...body,
        action,
      } as FaultAction);
      return sendJson(res, 200, { ...result, state: this.faults.state() });
    }
    throw new ApiError({
      code: 404,
      reason: 'NotFound',
      message: `no control route ${req.method} ${pathname}`,
    });
  }
}
