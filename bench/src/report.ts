/* Prints the benchmark document as tables. */
import type { Figure } from './stats';
import { fleetRows } from './reportFleet';

export const fmt = (n: number | undefined | null, digits = 0) =>
  n === undefined || n === null || Number.isNaN(n)
    ? '–'
    : n.toLocaleString('en-US', {
        maximumFractionDigits: digits,
        minimumFractionDigits: digits,
      });
const range = (f: Figure, digits = 0) =>
  `${fmt(f.median, digits)} (${fmt(f.min, digits)}–${fmt(f.max, digits)})`;

export function table(title: string, head: string[], rows: string[][]) {
  const widths = head.map((h, i) =>
    Math.max(h.length, ...rows.map(r => (r[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(`\n${title}\n`);
  console.log(line(head));
  console.log(`|${widths.map(w => '-'.repeat(w + 2)).join('|')}|`);
  rows.forEach(r => console.log(line(r)));
}

export const mark = (ok: boolean) => (ok ? 'met' : 'NOT met');

export function printReport(doc: any): void {
  const { results } = doc;
  const ingest = results.ingest;
  if (ingest) {
    const rows = [
      [
        'JSON.parse of the same watch bytes (reference)',
        range(ingest.jsonParse.eventsPerSecond),
        '1.000',
        '',
      ],
    ];
    for (const [path, r] of Object.entries<any>(ingest.paths)) {
      const label =
        path === 'memory'
          ? 'watch → normalise → correlate, stores in memory'
          : `watch → normalise → correlate → ${path}`;
      const aim =
        path === 'memory'
          ? `≥ 0.40 of JSON.parse: ${mark(r.ratioToJsonParse >= 0.4)}`
          : path === 'postgres'
          ? `≥ 20,000/s: ${mark(r.eventsPerSecond.median >= 20_000)}`
          : '';
      rows.push([
        label,
        range(r.eventsPerSecond),
        fmt(r.ratioToJsonParse, 3),
        aim,
      ]);
    }
    table(
      `1. Ingest: ${fmt(ingest.events)} core/v1 HelmRelease events over ${fmt(
        ingest.targets,
      )} releases, one watch (${fmt(
        ingest.jsonParse.bytesPerEvent,
      )} bytes/event), events/s median (min–max)`,
      ['path', 'events/s', 'ratio', 'aim'],
      rows,
    );
  }
  const fresh = results.freshness;
  if (fresh) {
    const rows = fresh.conditions.map((c: any) => [
      `${c.name} (${c.database})`,
      fmt(c.rawWatch.p50, 1),
      fmt(c.rawWatch.p99, 1),
      fmt(c.signal.p50, 1),
      fmt(c.signal.p99, 1),
      fmt(c.api.p50, 1),
      fmt(c.api.p99, 1),
      `p99 < 200 ms: ${mark(c.api.p99 < 200)}`,
    ]);
    table(
      `2. Freshness: event created in the stand-in → effect, ms (${fresh.probes} probes each; load = ${fresh.loadRate} events/s on the same cluster)`,
      [
        'condition',
        'raw watch p50',
        'p99',
        'signal p50',
        'p99',
        'API p50',
        'p99',
        'aim',
      ],
      rows,
    );
  }
  const entity = results.entity;
  if (entity) {
    const rows = entity.byClusters.map((c: any) => [
      String(c.clusters),
      fmt(c.fluxPipelines.p50, 1),
      fmt(c.fluxPipelines.p99, 1),
      fmt(c.fanOut.p50, 1),
      fmt(c.fanOut.p99, 1),
      `${fmt(c.ratioP50, 0)}×`,
      `p99 ≤ 2 ms: ${mark(c.fluxPipelines.p99 <= 2)}; ≥ 50×: ${mark(
        c.ratioP50 >= 50,
      )}`,
    ]);
    table(
      `3. Entity page: GET /api/flux-pipelines/pipelines?entityRef= vs kubernetes-backend POST /resources/custom/query (HelmReleases), ms; ${fmt(
        entity.pipelines,
      )} pipelines × 3 environments, ${fmt(entity.historyRows)} history rows, ${
        entity.database
      }, stand-in latency ${entity.latencyMs} ms`,
      [
        'clusters',
        'flux p50',
        'flux p99',
        'fan-out p50',
        'fan-out p99',
        'ratio (p50)',
        'aims',
      ],
      rows,
    );
  }
  const memory = results.memory;
  if (memory) {
    table(
      `4. Memory and start: ${fmt(memory.releases)} HelmReleases over ${
        memory.clusters
      } clusters (${memory.database})`,
      ['figure', 'value', 'baseline', 'aim'],
      [
        [
          'RSS after sync (settled), MB',
          fmt(memory.rssAfterSyncMb),
          `${fmt(memory.baselineRssMb)} (same backend, no clusters)`,
          `≤ baseline + 40 MB: ${mark(
            memory.rssAfterSyncMb - memory.baselineRssMb <= 40,
          )}`,
        ],
        [
          'first sync (empty database), s',
          fmt(memory.firstSyncSeconds, 2),
          '',
          '',
        ],
        [
          'cold resync (restart, 1 new version each), s',
          fmt(memory.coldResyncSeconds, 2),
          '',
          `≤ 2 s: ${mark(memory.coldResyncSeconds <= 2)}`,
        ],
        ['RSS after resync, MB', fmt(memory.rssAfterResyncMb), '', ''],
        [
          'RSS at once after sync / peak during it, MB',
          `${fmt(memory.rssRightAfterSyncMb)} / ${fmt(memory.peakRssMb)}`,
          '',
          '',
        ],
        [
          'JS heap in use after sync, MB',
          fmt(memory.heapAfterSyncMb),
          fmt(memory.baselineHeapMb),
          '',
        ],
      ],
    );
  }
  const insights = results.insights;
  if (insights) {
    const rows = insights.scopes.map((s: any) => [
      s.scope === 'team'
        ? `team (${insights.entities} entities)`
        : 'one entity',
      fmt(s.api.p50, 1),
      fmt(s.api.p99, 1),
      `${fmt(s.naive.p50, 1)} (${s.naive.count} calls)`,
      fmt(s.naive.p99, 1),
      `${fmt(s.ratioP50, 1)}×`,
      s.aimMet === undefined
        ? '(PostgreSQL only)'
        : `p99 < 50 ms: ${mark(s.aimMet)}`,
    ]);
    table(
      `5. Insights: GET /api/flux-pipelines/insights (${
        insights.days
      } days) vs the same figures computed naively in JavaScript, ms; ${fmt(
        insights.historyRows,
      )} history rows (seeded in ${fmt(insights.seedSeconds, 1)} s, ${fmt(
        insights.rowsPerSecond,
      )} rows/s; summarised for the insights as the migration does in ${fmt(
        insights.summarySeconds,
        1,
      )} s), ${insights.database}`,
      [
        'scope',
        'API p50',
        'API p99',
        'naive p50',
        'naive p99',
        'naive/API (p50)',
        'aim',
      ],
      rows,
    );
  }
  if (results.fleet) fleetRows(results.fleet);
  const browser = results.browser;
  if (browser) {
    table(
      `7. Browser freshness: the stand-in says a version succeeded (its last Event or HelmRelease status change, raw watch) → podinfo's dev card says "Succeeded <version>" in headless Chromium, ms (${browser.probes} commits to the demo's fleet repository, releases of 300 ms; ${browser.interrupted} interrupted by the demo's own timeline)`,
      ['p50', 'p99', 'max', 'aim'],
      [
        [
          fmt(browser.p50, 1),
          fmt(browser.p99, 1),
          fmt(browser.max, 1),
          `p99 < 250 ms: ${mark(browser.p99 < 250)}`,
        ],
      ],
    );
    const { gaps, signalsPerProbe, requestsPerProbe } = browser.breakdown ?? {};
    if (gaps?.length) {
      table(
        `7b. Where the browser's time goes, per probe (backend steps from its debug log: BENCH_BROWSER_DEBUG_LOG=1); p50 per probe: ${signalsPerProbe} signals, ${requestsPerProbe} API requests`,
        ['gap', 'probes', 'p50', 'p99'],
        gaps.map((g: any) => [
          g.gap,
          String(g.probes),
          fmt(g.p50, 1),
          fmt(g.p99, 1),
        ]),
      );
    }
  }
  if (doc.failures.length) console.log(`\nFAILED: ${doc.failures.join('\n')}`);
}
