/**
 * One backend replica of the fleet benchmark: the real plugin in a Backstage
 * test backend, in a process of its own (own heap, own RSS), on the shared
 * PostgreSQL database. {@link Replica} is the parent's handle; `serve` runs
 * in the child (main.ts `--fleet-replica`).
 */
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/config';
import knexFactory from 'knex';
import { ChildProcess, fork } from 'node:child_process';
import { resolve } from 'node:path';
import { BenchBackend, startBenchBackend } from './backend';

export interface ReplicaSpec {
  connection: string;
  config: JsonObject;
  entities: Entity[];
}

type Request =
  | { id: number; cmd: 'start'; spec: ReplicaSpec }
  | {
      id: number;
      cmd: 'rss' | 'stop';
    };

export class Replica {
  private nextId = 0;
  private readonly pending = new Map<number, (v: any) => void>();
  base = '';
  private readonly exited: Promise<number | null>;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (m: any) => {
      this.pending.get(m.id)?.(m);
      this.pending.delete(m.id);
    });
    this.exited = new Promise(r => child.once('exit', code => r(code)));
    this.exited.then(code => {
      for (const p of this.pending.values())
        p({ error: `replica exited (${code})` });
      this.pending.clear();
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  static async start(spec: ReplicaSpec): Promise<Replica> {
    const child = fork(
      resolve(__dirname, '..', 'run.js'),
      ['--fleet-replica'],
      {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        execArgv: ['--expose-gc', '--max-old-space-size=4096'],
      },
    );
    const replica = new Replica(child);
    replica.base = await replica.send('start', spec);
    return replica;
  }

  private send(cmd: Request['cmd'], spec?: ReplicaSpec): Promise<any> {
    const id = this.nextId++;
    return new Promise((resolvePromise, reject) => {
      this.pending.set(id, m =>
        m.error
          ? reject(new Error(`replica ${this.pid}: ${m.error}`))
          : resolvePromise(m.result),
      );
      this.child.send({ id, cmd, spec });
    });
  }

  /** RSS of a replica started with `spec`, a second after it answered, MB. */
  static async baselineRssMb(spec: ReplicaSpec): Promise<number> {
    const replica = await Replica.start(spec);
    await new Promise(r => setTimeout(r, 1000));
    const rss = await replica.rssMb();
    await replica.stop();
    return rss;
  }

  /** Resident set size after two full collections, MB. */
  rssMb(): Promise<number> {
    return this.send('rss');
  }

  /** Stops the backend (it gives its leases up) and waits for the process to end. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    await this.send('stop').catch(() => undefined);
    await Promise.race([this.exited, new Promise(r => setTimeout(r, 15_000))]);
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

/** Entry point of a replica process. */
export function serve(): void {
  let backend: BenchBackend | undefined;
  let destroy = async () => {};
  const handle = async (m: Request): Promise<unknown> => {
    if (m.cmd === 'start') {
      // The pool size Backstage uses by default.
      const knex = knexFactory({
        client: 'pg',
        connection: m.spec.connection,
        pool: { min: 0, max: 10 },
      });
      destroy = () => knex.destroy();
      backend = await startBenchBackend({
        knex,
        config: m.spec.config,
        entities: m.spec.entities,
      });
      return backend.base;
    }
    if (m.cmd === 'rss') {
      (globalThis as any).gc?.();
      (globalThis as any).gc?.();
      return Math.round(process.memoryUsage().rss / 2 ** 20);
    }
    await backend?.stop();
    await destroy();
    setImmediate(() => process.exit(0));
    return null;
  };
  process.on('message', (m: any) => {
    handle(m).then(
      result => process.send!({ id: m.id, result }),
      error =>
        process.send!({ id: m.id, error: String(error?.stack ?? error) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
}
