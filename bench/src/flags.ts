import type { DatabaseKind } from './databases';

const ALL = [
  'ingest',
  'freshness',
  'entity',
  'memory',
  'insights',
  'fleet',
  'browser',
] as const;

export interface BenchFlags {
  argv: string[];
  smoke: boolean;
  only: Array<(typeof ALL)[number]>;
  databases: DatabaseKind[];
  ingest: { events: number; runs: number; targets: number };
  freshness: { probes: number; loadRate: number; runs: number };
  entity: {
    pipelines: number;
    history: number;
    clusters: number[];
    requests: number;
    fanOutRequests: number;
    latencyMs: number;
  };
  memory: { releases: number; clusters: number };
  insights: {
    entities: number;
    history: number;
    requests: number;
    days: number;
  };
  fleet: {
    clusters: number;
    releases: number;
    rate: number;
    replicas: number;
    requests: number;
    probes: number;
  };
  browser: { probes: number };
}

const HELP = `npm run bench [-- flags]      (npm run bench:smoke: a tiny run of each)
  --only ingest,freshness,entity,memory,insights,fleet,browser   which benchmarks (default: all;
                        the smoke run leaves browser out: the browser tests cover the demo)
  --db postgres,sqlite                    databases (default: both; PostgreSQL is started throwaway)
  --runs N              repetitions for medians (default 3)
  --events N            ingest: events per run (default 200000)
  --targets N           ingest: HelmReleases the events are about (default 1000)
  --probes N            freshness: probes per condition (default 100)
  --load-rate N         freshness: background events/s during "under load" (default 100)
  --pipelines N         entity: pipelines (default 1000)
  --history N           entity: deployment history rows (default 1000000)
  --clusters 1,10,50    entity: stand-in cluster counts (default 1,10,50)
  --requests N          entity: GETs per cluster count (default 300)
  --fanout-requests N   entity: kubernetes-backend requests per cluster count (default 30)
  --latency-ms N        entity: latency added to every stand-in request (default 50)
  --releases N          memory: HelmReleases in all (default 10000)
  --memory-clusters N   memory: clusters they are spread over (default 10)
  --team N              insights: entities of the team, a pipeline each (default 100)
  --team-history N      insights: deployment history rows of the team (default 1000000)
  --insights-requests N insights: API calls for one entity (default 300; for the team a tenth)
  --days N              insights: the period asked for (default 30)
  --fleet-clusters N    fleet: stand-in clusters (default 100)
  --fleet-releases N    fleet: HelmReleases in all (default 100000)
  --fleet-rate N        fleet: background change, events/s (default 1000)
  --replicas N          fleet: backend replicas on one PostgreSQL (default 2)
  --fleet-requests N    fleet: entity page GETs, quiet and under change (default 300)
  --fleet-probes N      fleet: freshness probes, quiet and under change (default 50)
  --browser-probes N    browser: releases timed from the stand-in's Event to the card (default 50)`;

export function parseFlags(argv: string[]): BenchFlags {
  const smoke = argv.includes('--smoke');
  const flags: BenchFlags = {
    argv: argv.filter(a => a !== '--smoke'),
    smoke,
    only: smoke ? ALL.filter(b => b !== 'browser') : [...ALL],
    databases: ['postgres', 'sqlite'],
    ingest: smoke
      ? { events: 200, runs: 1, targets: 20 }
      : { events: 200_000, runs: 3, targets: 1000 },
    freshness: smoke
      ? { probes: 5, loadRate: 50, runs: 1 }
      : { probes: 100, loadRate: 100, runs: 1 },
    entity: smoke
      ? {
          pipelines: 20,
          history: 2_000,
          clusters: [2],
          requests: 10,
          fanOutRequests: 3,
          latencyMs: 50,
        }
      : {
          pipelines: 1000,
          history: 1_000_000,
          clusters: [1, 10, 50],
          requests: 300,
          fanOutRequests: 30,
          latencyMs: 50,
        },
    memory: smoke
      ? { releases: 100, clusters: 2 }
      : { releases: 10_000, clusters: 10 },
    insights: smoke
      ? { entities: 5, history: 3_000, requests: 5, days: 30 }
      : { entities: 100, history: 1_000_000, requests: 300, days: 30 },
    fleet: smoke
      ? {
          clusters: 4,
          releases: 200,
          rate: 20,
          replicas: 2,
          requests: 10,
          probes: 3,
        }
      : {
          clusters: 100,
          releases: 100_000,
          rate: 1000,
          replicas: 2,
          requests: 300,
          probes: 50,
        },
    browser: { probes: smoke ? 3 : 50 },
  };
  const list = (v: string) =>
    v
      .split(',')
      .map(s => s.trim())
      .filter(Boolean);
  const int = (name: string, v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1)
      throw new Error(`${name} needs a positive integer, got '${v}'`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--smoke') continue;
    if (arg === '--help' || arg === '-h') {
      console.log(HELP);
      process.exit(0);
    }
    const [name, inline] = arg.split('=', 2);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`${name} needs a value\n${HELP}`);
    switch (name) {
      case '--only': {
        const only = list(value);
        const bad = only.find(o => !(ALL as readonly string[]).includes(o));
        if (bad) throw new Error(`unknown benchmark '${bad}'\n${HELP}`);
        flags.only = only as BenchFlags['only'];
        break;
      }
      case '--db': {
        const dbs = list(value);
        if (dbs.some(d => d !== 'postgres' && d !== 'sqlite'))
          throw new Error(`--db takes postgres,sqlite\n${HELP}`);
        flags.databases = dbs as DatabaseKind[];
        break;
      }
      case '--runs':
        flags.ingest.runs = flags.freshness.runs = int(name, value);
        break;
      case '--events':
        flags.ingest.events = int(name, value);
        break;
      case '--targets':
        flags.ingest.targets = int(name, value);
        break;
      case '--probes':
        flags.freshness.probes = int(name, value);
        break;
      case '--load-rate':
        flags.freshness.loadRate = int(name, value);
        break;
      case '--pipelines':
        flags.entity.pipelines = int(name, value);
        break;
      case '--history':
        flags.entity.history = int(name, value);
        break;
      case '--clusters':
        flags.entity.clusters = list(value).map(v => int(name, v));
        break;
      case '--requests':
        flags.entity.requests = int(name, value);
        break;
      case '--fanout-requests':
        flags.entity.fanOutRequests = int(name, value);
        break;
      case '--latency-ms':
        flags.entity.latencyMs = Number(value);
        break;
      case '--releases':
        flags.memory.releases = int(name, value);
        break;
      case '--memory-clusters':
        flags.memory.clusters = int(name, value);
        break;
      case '--team':
        flags.insights.entities = int(name, value);
        break;
      case '--team-history':
        flags.insights.history = int(name, value);
        break;
      case '--insights-requests':
        flags.insights.requests = int(name, value);
        break;
      case '--days':
        flags.insights.days = int(name, value);
        break;
      case '--fleet-clusters':
        flags.fleet.clusters = int(name, value);
        break;
      case '--fleet-releases':
        flags.fleet.releases = int(name, value);
        break;
      case '--fleet-rate':
        flags.fleet.rate = int(name, value);
        break;
      case '--replicas':
        flags.fleet.replicas = int(name, value);
        break;
      case '--fleet-requests':
        flags.fleet.requests = int(name, value);
        break;
      case '--browser-probes':
        flags.browser.probes = int(name, value);
        break;
      case '--fleet-probes':
        flags.fleet.probes = int(name, value);
        break;
      default:
        throw new Error(`unknown flag ${name}\n${HELP}`);
    }
  }
  return flags;
}
