import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  PAGE_HOOKS,
  PageRecords,
  backendLog,
  breakdown,
  timeline,
} from './browserTimeline';
import { rawWatch } from './rawWatch';
import { percentile, round, sleep } from './stats';

export interface BrowserOptions {
  /** Releases made, one at a time; each is one measurement. */
  probes: number;
}

const SUCCESS = new Set([
  'InstallSucceeded',
  'UpgradeSucceeded',
  'TestSucceeded',
]);

/** In the page: when the dev card first says "Succeeded <version>". */
const OBSERVER = `(() => {
  window.__probeSeen = {};
  window.__probeWanted = new Set();
  const check = () => {
    const card = document.querySelector('[aria-label="Environment dev"]');
    if (!card) return;
    // textContent first: innerText lays the page out, on every mutation;
    // innerText then confirms the words are shown, not hidden
    const raw = card.textContent;
    const wanted = [...window.__probeWanted].filter(v =>
      raw.includes('Succeeded ' + v),
    );
    if (!wanted.length) return;
    const text = card.innerText;
    for (const version of wanted) {
      if (text.includes('Succeeded ' + version)) {
        window.__probeSeen[version] = Date.now();
        window.__probeWanted.delete(version);
      }
    }
  };
  new MutationObserver(check).observe(document.body, {
    subtree: true, childList: true, characterData: true,
  });
})()`;

/** The demo's scenario with releases of 300 ms instead of 20 s. */
function fastScenario(dir: string): string {
  const demo = readFileSync(
    resolve(
      __dirname,
      '../../packages/cluster-sim/src/scenario/builtins/demo.yaml',
    ),
    'utf8',
  );
  const fast = demo
    .replace(/releaseDuration: \S+/, 'releaseDuration: 300ms')
    .replace(/testDuration: \S+/, 'testDuration: 100ms');
  if (fast === demo)
    throw new Error('the demo scenario has no releaseDuration');
  const file = join(dir, 'demo-fast.yaml');
  writeFileSync(file, fast);
  return file;
}

/**
 * Event → card in the browser: starts the demo as a user would
 * (`npm start`, test/e2e/lib/demo.mjs; its scenario with 300 ms releases),
 * opens podinfo's Pipelines tab in headless Chromium, then commits a new
 * version of podinfo in dev to the fleet repository, one at a time. Each
 * probe times, on the wall clock, from the stand-in's last change that says
 * the version succeeded (a success Event or a HelmRelease status change, as
 * raw watches of the stand-in see them: the floor any watcher has) to the
 * moment the dev card says "Succeeded <version>" (a MutationObserver in the
 * page). The page learns of it as a user's page does: a signal, then a reload
 * through the API.
 */
export async function benchBrowser(options: BrowserOptions) {
  const demoLib = await import('../../test/e2e/lib/demo.mjs');
  const { openBrowser } = await import('../../test/e2e/lib/browser.mjs');
  const { commitVersion, signIn } = await import(
    '../../test/e2e/lib/pipelinePage.mjs'
  );
  const { CLUSTER, CLUSTER_TOKEN, FRONTEND } = demoLib;
  const headers = {
    authorization: `Bearer ${CLUSTER_TOKEN}`,
    'content-type': 'application/json',
  };
  const dir = mkdtempSync(join(tmpdir(), 'flux-pipelines-bench-browser-'));
  process.env.FLUX_PIPELINES_DEMO_SCENARIO = fastScenario(dir);
  // BENCH_BROWSER_DEBUG_LOG=1: the backend's steps too (its debug log; slower)
  if (process.env.BENCH_BROWSER_DEBUG_LOG) process.env.LOG_LEVEL = 'debug';
  const demo = await demoLib.startDemo();
  const browser = await openBrowser();
  const watch = new AbortController();
  /** Per version, when raw watches saw its success: Events and status changes. */
  const successes = new Map<string, number[]>();
  try {
    /** Reads a watch of the stand-in, calling `seen` with each object and when it came. */
    const watchDemo = (path: string, seen: (o: any, at: number) => void) =>
      rawWatch({
        url: `${CLUSTER}${path}`,
        token: CLUSTER_TOKEN,
        signal: watch.signal,
        seen: (event, at) => seen(event.object, at),
      });
    const note = (version: string | undefined, at: number) => {
      if (version)
        successes.set(version, [...(successes.get(version) ?? []), at]);
    };
    const watches = Promise.all([
      watchDemo('/api/v1/namespaces/dev/events', (e, at) => {
        if (e?.involvedObject?.name === 'podinfo' && SUCCESS.has(e.reason)) {
          note(
            e.metadata?.annotations?.['helm.toolkit.fluxcd.io/revision'],
            at,
          );
        }
      }),
      // The status changes too (the backend reads both; either may come first).
      watchDemo(
        '/apis/helm.toolkit.fluxcd.io/v2/namespaces/dev/helmreleases',
        (hr, at) => {
          const top = hr?.status?.history?.[0];
          if (hr?.metadata?.name === 'podinfo' && top?.status === 'deployed') {
            note(top.chartVersion, at);
          }
        },
      ),
    ]).catch(() => undefined);

    const page = await browser.context.newPage();
    await page.addInitScript(PAGE_HOOKS);
    const probed: Array<Omit<Parameters<typeof timeline>[0], 'log'>> = [];
    /** What the page recorded since the last call. */
    const pageRecords = () =>
      page.evaluate(() => {
        const w = window as any;
        return {
          signals: w.__probeSignals.splice(0),
          requests: w.__probeRequests.splice(0),
        } as PageRecords;
      });
    await page.goto(
      `${FRONTEND}/catalog/default/component/podinfo/flux-pipelines`,
    );
    await signIn(page);
    const card = page.getByRole('listitem', { name: 'Environment dev' });
    await card.waitFor({ timeout: 120_000 });
    // The demo's timeline releases 6.5.1 into dev 30 s after its start
    // (then a version every 3 minutes): probe after it.
    await card.getByText('Succeeded 6.5.1').waitFor({ timeout: 120_000 });
    await page.evaluate(OBSERVER);
    await pageRecords();

    const probe = async (n: number) => {
      // 9.<n>.0: the demo's own timeline releases the next patch, never this
      const version = `9.${n}.0`;
      await page.evaluate(v => (window as any).__probeWanted.add(v), version);
      // As a person or a promotion would: a commit to the fleet repository,
      // which the stand-in reconciles from within 10 s (not counted: the
      // clock starts at the stand-in's change). A direct release would be
      // undone by the next reconciliation from git, as Flux undoes drift.
      commitVersion(demo.fleetRepo, 'dev', version);
      const deadline = Date.now() + 60_000;
      for (;;) {
        const seen = await page.evaluate(
          v => (window as any).__probeSeen[v] as number | undefined,
          version,
        );
        if (seen !== undefined) {
          const before = (successes.get(version) ?? []).filter(t => t <= seen);
          if (!before.length) {
            throw new Error(
              `the card said Succeeded ${version} before the stand-in did`,
            );
          }
          const standIn = Math.max(...before);
          await sleep(200); // the answers' bodies are read after the app used them
          probed.push({
            version,
            standIn,
            shown: seen,
            page: await pageRecords(),
          });
          return seen - standIn;
        }
        const wanted = readFileSync(
          join(demo.fleetRepo, 'apps', 'dev', 'podinfo.yaml'),
          'utf8',
        );
        if (!wanted.includes(`version: ${version}`)) {
          // The demo's own timeline committed a newer version meanwhile.
          await pageRecords();
          await page.evaluate(
            v => (window as any).__probeWanted.delete(v),
            version,
          );
          return undefined;
        }
        if (Date.now() > deadline) {
          throw new Error(
            `the dev card never said "Succeeded ${version}" (60 s); it says: ${await card.innerText()}; the stand-in: ${JSON.stringify(
              (
                await fetch(
                  `${CLUSTER}/apis/helm.toolkit.fluxcd.io/v2/namespaces/dev/helmreleases/podinfo`,
                  { headers },
                ).then(r => r.json() as Promise<any>)
              ).status?.history?.slice(0, 2),
            )}; success Events seen: ${JSON.stringify([...successes])}`,
          );
        }
        await sleep(10);
      }
    };
    for (let n = 1; n <= 3; n++) await probe(n); // warm-up
    // BENCH_PROFILE=<dir>: the page's CPU profile over the probes too
    const profiler = process.env.BENCH_PROFILE
      ? await browser.context.newCDPSession(page)
      : undefined;
    await profiler?.send('Profiler.enable');
    await profiler?.send('Profiler.start');
    const samples: number[] = [];
    let interrupted = 0;
    for (let n = 4; samples.length < options.probes; n++) {
      const sample = await probe(n);
      if (sample === undefined) interrupted += 1;
      else samples.push(sample);
      if (interrupted > 5) throw new Error('more than 5 probes interrupted');
      await sleep(200 + Math.random() * 300); // apart, as users' changes are
    }
    if (profiler) {
      const { profile } = await profiler.send('Profiler.stop');
      const file = join(process.env.BENCH_PROFILE!, 'browser-page.cpuprofile');
      writeFileSync(file, JSON.stringify(profile));
    }
    watch.abort();
    await watches;
    const log = backendLog(demo.logs);
    const timelines = probed
      .slice(-samples.length)
      .map(p => timeline({ ...p, log }));
    return {
      probes: samples.length,
      interrupted,
      p50: round(percentile(samples, 50), 1),
      p99: round(percentile(samples, 99), 1),
      max: round(Math.max(...samples), 1),
      samples,
      breakdown: breakdown(timelines),
      timelines,
    };
  } finally {
    watch.abort();
    await browser.close();
    await demo.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
