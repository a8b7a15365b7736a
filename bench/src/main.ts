import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { parseFlags, BenchFlags } from './flags';
import { POSTGRES_ENV, providePostgres } from './databases';
import { printReport } from './report';

/** The benchmarks, each run in a child process of its own (clean heap, own RSS). */
const CHILDREN: Record<string, (options: any) => Promise<unknown>> = {
  ingest: o => require('./benchIngest').benchIngest(o),
  freshness: o => require('./benchFreshness').benchFreshness(o),
  entity: o => require('./benchEntityPage').benchEntityPage(o),
  memory: o => require('./benchMemory').benchMemory(o),
  insights: o => require('./benchInsights').benchInsights(o),
  fleet: o => require('./benchFleet').benchFleet(o),
  browser: o => require('./benchBrowser').benchBrowser(o),
};

function runChild(name: string, options: unknown): Promise<any> {
  return new Promise((resolvePromise, reject) => {
    const child = fork(resolve(__dirname, '..', 'run.js'), ['--child', name], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: [
        '--expose-gc',
        '--max-old-space-size=4096',
        // BENCH_PROFILE=<dir>: a CPU profile of each benchmark's process.
        ...(process.env.BENCH_PROFILE
          ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
          : []),
      ],
    });
    let result: any;
    child.on('message', (m: any) => {
      if (m.ready) child.send({ options });
      else result = m;
    });
    child.on('exit', code => {
      if (result?.error) reject(new Error(`${name}: ${result.error}`));
      else if (result && code === 0) resolvePromise(result.value);
      else reject(new Error(`${name}: child exited with ${code}`));
    });
  });
}

async function child(name: string): Promise<number> {
  const options = await new Promise<any>(r => {
    process.once('message', (m: any) => r(m.options));
    process.send!({ ready: true });
  });
  try {
    const value = await CHILDREN[name](options);
    await new Promise(r => process.send!({ value }, r));
    return 0;
  } catch (error) {
    const text =
      error instanceof Error ? error.stack ?? error.message : String(error);
    await new Promise(r => process.send!({ error: text }, r));
    return 1;
  }
}

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === '--sim-host') {
    require('./simHostProcess').serve();
    return new Promise<number>(() => {}); // runs until the parent disconnects
  }
  if (argv[0] === '--fleet-replica') {
    require('./fleetReplica').serve();
    return new Promise<number>(() => {}); // runs until told to stop
  }
  if (argv[0] === '--child') return child(argv[1]);

  const flags: BenchFlags = parseFlags(argv);
  const postgres = flags.databases.includes('postgres')
    ? await providePostgres()
    : undefined;
  if (flags.databases.includes('postgres') && !postgres && process.env.CI) {
    console.error(
      '[bench] CI is set but PostgreSQL is not installed and no connection string is given.',
    );
    return 1;
  }
  if (flags.databases.includes('postgres') && !postgres) {
    console.warn(
      '!!! SKIPPING POSTGRESQL: not installed (/usr/lib/postgresql/*/bin/pg_ctl) and no ' +
        `${POSTGRES_ENV} or BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING; SQLite only.`,
    );
    flags.databases = flags.databases.filter(d => d !== 'postgres');
  }
  if (postgres) process.env[POSTGRES_ENV] = postgres.connectionString;
  const started = Date.now();
  const loadAtStart = loadavg()[0];
  const results: Record<string, unknown> = {};
  const failures: string[] = [];
  try {
    const one = async (name: BenchFlags['only'][number]) => {
      console.log(`[bench] ${name} ...`);
      const t = Date.now();
      try {
        results[name] = await runChild(name, {
          ...flags[name],
          databases: flags.databases,
        });
        console.log(
          `[bench] ${name} done in ${((Date.now() - t) / 1000).toFixed(1)} s`,
        );
      } catch (error) {
        failures.push(String(error instanceof Error ? error.message : error));
        console.error(
          `[bench] ${name} FAILED: ${failures[failures.length - 1]}`,
        );
      }
    };
    // One at a time, so they do not disturb each other's figures.
    for (const name of flags.only) {
      if (name === 'fleet' && !flags.databases.includes('postgres')) {
        console.warn(
          '!!! SKIPPING fleet: its replicas share one PostgreSQL, which this run does not have.',
        );
        continue;
      }
      await one(name);
    }
  } finally {
    postgres?.stop();
  }
  const document = {
    date: new Date().toISOString(),
    command: `npm run ${flags.smoke ? 'bench:smoke' : 'bench'}${
      flags.argv.length ? ` -- ${flags.argv.join(' ')}` : ''
    }`,
    machine: {
      node: process.version,
      cpus: cpus().length,
      cpu: cpus()[0]?.model,
      memoryGb: Math.round(totalmem() / 2 ** 30),
      // Others share this machine: the 1-minute load average, at start and end.
      loadAverage: [loadAtStart, loadavg()[0]].map(
        l => Math.round(l * 10) / 10,
      ),
    },
    durationSeconds: Math.round((Date.now() - started) / 1000),
    flags,
    results,
    failures,
  };
  printReport(document);
  mkdirSync(resolve(__dirname, '..', 'results'), { recursive: true });
  const out = resolve(
    __dirname,
    '..',
    'results',
    flags.smoke ? 'smoke.json' : 'latest.json',
  );
  writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
  console.log(`\nWrote ${out}`);
  const problems = Object.values(results).flatMap(
    (r: any) => r?.problems ?? [],
  );
  if (problems.length) {
    console.error(`Problems:\n- ${problems.join('\n- ')}`);
  }
  return failures.length || problems.length ? 1 : 0;
}
