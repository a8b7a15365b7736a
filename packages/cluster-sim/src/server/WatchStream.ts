import type { ServerResponse } from 'node:http';
import { apiVersionOf } from '../store/resourceTypes';
import { KubeObject, StoreChange } from '../store/types';
import { present } from './representation';
import { toTable } from './table';
import type { WatchRequest } from './watch';

/**
 * One open watch: turns store changes into ADDED/MODIFIED/DELETED lines for what the watcher can
 * see (an object leaving the selection is DELETED for it), adds BOOKMARKs, ends on timeout.
 */
export class WatchStream {
  private timers: NodeJS.Timeout[] = [];
  private queue: string[] = [];

  constructor(
    private readonly req: WatchRequest,
    private readonly res: ServerResponse,
    private held: boolean,
  ) {}

  onChange(change: StoreChange) {
    if (change.storage !== this.req.type.storage) return;
    const visible = (o?: KubeObject) =>
      !!o &&
      (!this.req.namespace || o.metadata.namespace === this.req.namespace) &&
      this.req.matches(o);
    const now = change.type !== 'DELETED' && visible(change.object);
    const before = change.type !== 'ADDED' && visible(change.previous);
    if (change.type === 'DELETED') {
      if (before) this.sendObject('DELETED', change.object);
    } else if (now && before) this.sendObject('MODIFIED', change.object);
    else if (now) this.sendObject('ADDED', change.object);
    else if (before) this.sendObject('DELETED', change.object);
  }

  sendObject(type: string, obj: KubeObject) {
    const object = this.req.table
      ? toTable(
          this.req.type,
          [obj],
          String(obj.metadata.resourceVersion),
          this.req.table.now(),
        )
      : present(this.req.type, this.req.version, obj);
    this.write({ type, object });
  }

  start(timeoutMs: number, bookmarkMs: number, currentRv: () => string) {
    this.timers.push(setTimeout(() => this.end(), timeoutMs));
    if (bookmarkMs > 0) {
      const kind = this.req.type.kind;
      const apiVersion = apiVersionOf(this.req.type, this.req.version);
      this.timers.push(
        setInterval(() => {
          this.write({
            type: 'BOOKMARK',
            object: {
              kind,
              apiVersion,
              metadata: { resourceVersion: currentRv() },
            },
          });
        }, bookmarkMs),
      );
    }
  }

  hold(held: boolean) {
    this.held = held;
    if (!held) {
      for (const line of this.queue.splice(0)) this.res.write(line);
    }
  }

  end() {
    this.stop();
    if (!this.held) this.res.end();
    else this.res.destroy();
  }

  stop() {
    this.timers.forEach(t => clearTimeout(t));
    this.timers = [];
  }

  private write(event: unknown) {
    if (this.res.writableEnded || this.res.destroyed) return;
    const line = `${JSON.stringify(event)}\n`;
    if (this.held) this.queue.push(line);
    else this.res.write(line);
  }
}
