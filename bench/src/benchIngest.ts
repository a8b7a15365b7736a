import { performance } from 'node:perf_hooks';
import { Knex } from 'knex';
import { migrateDatabase } from '../../plugins/flux-pipelines-backend/src/database/migrateDatabase';
import { DatabaseKind, freshDatabase } from './databases';
import { createIngestPipeline, untilConnected } from './ingestPipeline';
import { SimHost } from './SimHost';
import { figure, Figure, round } from './stats';

export interface IngestOptions {
  events: number;
  runs: number;
  /** Distinct HelmReleases the events are about. */
  targets: number;
}

const NAMESPACES = Array.from({ length: 10 }, (_, i) => `team-${i}`);
const CHUNK = 20_000;

export async function migrated(knex: Knex): Promise<Knex> {
  return migrateDatabase({ getClient: async () => knex } as any);
}

/** Puts `events` Flux events into a paused stand-in, so they reach the watch in one burst on resume. */
async function queueEvents(sim: SimHost, events: number, targets: number) {
  await sim.send({ cmd: 'pause', cluster: 0 });
  const baseTime = Date.UTC(2026, 0, 1);
  for (let from = 0; from < events; from += CHUNK) {
    await sim.send({
      cmd: 'events',
      cluster: 0,
      from,
      count: Math.min(CHUNK, events - from),
      targets,
      baseTime,
    });
  }
}

/** One run: events/s through watcher → normaliser → correlator → store. */
async function ingestOnce(
  where: DatabaseKind | 'memory',
  options: IngestOptions,
): Promise<{ eventsPerSecond: number; problems: string[] }> {
  const db = where === 'memory' ? undefined : await freshDatabase(where);
  const sim = await SimHost.start({ clusters: 1, namespaces: NAMESPACES });
  const problems: string[] = [];
  try {
    const knex = db ? await migrated(db.knex) : undefined;
    const pipeline = createIngestPipeline({
      clusters: sim.clusters,
      knex,
      problems,
    });
    pipeline.follower.start();
    await untilConnected(pipeline.follower);
    await queueEvents(sim, options.events, options.targets);
    const done = pipeline.untilObservations(
      options.events,
      Math.max(120_000, options.events * 5),
    );
    const started = performance.now();
    await sim.send({ cmd: 'resume', cluster: 0 });
    await done;
    const seconds = (performance.now() - started) / 1000;
    await pipeline.follower.stop();
    if (knex) {
      const [{ n }] = await knex('observations').count({ n: '*' });
      if (Number(n) !== options.events) {
        problems.push(`stored ${n} observations, expected ${options.events}`);
      }
    }
    return { eventsPerSecond: options.events / seconds, problems };
  } finally {
    await sim.stop();
    await db?.drop();
  }
}

/** The same watch bytes, captured from a raw watch, then only JSON.parse'd line by line. */
async function jsonParseReference(options: IngestOptions) {
  const sim = await SimHost.start({ clusters: 1, namespaces: NAMESPACES });
  try {
    const { url, token } = sim.clusters[0];
    const rv = await sim.send({ cmd: 'resourceVersion', cluster: 0 });
    const response = await fetch(
      `${url}/api/v1/events?watch=1&resourceVersion=${rv}&timeoutSeconds=600`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    const reader = response.body!.getReader();
    await queueEvents(sim, options.events, options.targets);
    await sim.send({ cmd: 'resume', cluster: 0 });
    const chunks: Buffer[] = [];
    let lines = 0;
    while (lines < options.events) {
      const { value, done } = await reader.read();
      if (done) break;
      const chunk = Buffer.from(value);
      chunks.push(chunk);
      for (const byte of chunk) if (byte === 10) lines += 1;
    }
    await reader.cancel();
    const bytes = Buffer.concat(chunks);
    const runs: number[] = [];
    let parsed = 0;
    for (let r = 0; r < Math.max(3, options.runs); r++) {
      const started = performance.now();
      const text = bytes.toString('utf8');
      let at = 0;
      parsed = 0;
      for (;;) {
        const end = text.indexOf('\n', at);
        if (end < 0) break;
        const line = JSON.parse(text.slice(at, end));
        if (line.type === 'ADDED') parsed += 1;
        at = end + 1;
      }
      runs.push(parsed / ((performance.now() - started) / 1000));
    }
    if (parsed !== options.events) {
      throw new Error(`captured ${parsed} events, expected ${options.events}`);
    }
    return {
      bytes: bytes.length,
      bytesPerEvent: round(bytes.length / options.events, 0),
      eventsPerSecond: figure(runs),
    };
  } finally {
    await sim.stop();
  }
}

export interface IngestResult {
  events: number;
  targets: number;
  jsonParse: { bytes: number; bytesPerEvent: number; eventsPerSecond: Figure };
  paths: Record<string, { eventsPerSecond: Figure; ratioToJsonParse: number }>;
  problems: string[];
}

export async function benchIngest(
  options: IngestOptions & { databases: DatabaseKind[] },
): Promise<IngestResult> {
  const jsonParse = await jsonParseReference(options);
  const paths: IngestResult['paths'] = {};
  const problems: string[] = [];
  for (const where of ['memory', ...options.databases] as const) {
    const runs: number[] = [];
    for (let r = 0; r < options.runs; r++) {
      const once = await ingestOnce(where, options);
      runs.push(once.eventsPerSecond);
      problems.push(...once.problems.slice(0, 5).map(p => `${where}: ${p}`));
    }
    const rate = figure(runs);
    paths[where] = {
      eventsPerSecond: rate,
      ratioToJsonParse: rate.median / jsonParse.eventsPerSecond.median,
    };
  }
  return {
    events: options.events,
    targets: options.targets,
    jsonParse,
    paths,
    problems,
  };
}
