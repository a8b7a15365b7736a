import { ChildProcess, fork } from 'node:child_process';
import { resolve } from 'node:path';
import type { SimCommand, SimSpec } from './simHostProcess';

export interface SimCluster {
  name: string;
  url: string;
  token: string;
}

/** The parent's handle on the stand-in clusters running in a child process (see simHostProcess.ts). */
export class SimHost {
  private nextId = 0;
  private readonly pending = new Map<
    number,
    { resolve(v: any): void; reject(e: Error): void }
  >();
  clusters: SimCluster[] = [];

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (raw: any) => {
      const waiting = this.pending.get(raw.id);
      this.pending.delete(raw.id);
      if (raw.error) waiting?.reject(new Error(`cluster-sim: ${raw.error}`));
      else waiting?.resolve(raw.result);
    });
    child.on('exit', code => {
      for (const w of this.pending.values())
        w.reject(new Error(`cluster-sim host exited (${code})`));
      this.pending.clear();
    });
  }

  static async start(spec: SimSpec): Promise<SimHost> {
    const child = fork(resolve(__dirname, '..', 'run.js'), ['--sim-host'], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: ['--max-old-space-size=4096'],
    });
    const host = new SimHost(child);
    host.clusters = await host.send({ cmd: 'start', spec });
    return host;
  }

  send<T = any>(message: SimCommand): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolvePromise, reject) => {
      this.pending.set(id, { resolve: resolvePromise, reject });
      this.child.send({ id, message });
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise(r => this.child.once('exit', r));
    this.child.disconnect();
    await Promise.race([exited, new Promise(r => setTimeout(r, 5000))]);
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
