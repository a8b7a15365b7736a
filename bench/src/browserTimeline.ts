import { percentile, round } from './stats';

/**
 * Where the time of one browser probe goes, from the stand-in's change to the
 * card: each step's wall-clock time (ms since the epoch; one machine, one
 * clock). The backend's steps come from its debug log (`LOG_LEVEL=debug`:
 * the tracker's "Stored N changed deployments" and the events service's
 * "Event received: topic=signals"); without it they are left out.
 */
export interface ProbeTimeline {
  /** The stand-in's last change saying the version succeeded (raw watch). */
  standIn: number;
  /** The backend committed the success (its debug log). */
  stored?: number;
  /** The backend published the signal saying so (its debug log). */
  published?: number;
  /** The page received that signal (its WebSocket). */
  received?: number;
  /** The page sent the request for the entity's pipelines whose answer the card shows. */
  requested?: number;
  /** ... and had its answer. */
  answered?: number;
  /** The dev card said "Succeeded <version>" (a MutationObserver). */
  shown: number;
  /** Signals on the flux-pipelines channel and API requests the page made meanwhile. */
  signals: number;
  requests: number;
}

/**
 * In the page, before the app: records each message on the flux-pipelines
 * signals channel and each API request's start and end.
 */
export const PAGE_HOOKS = `(() => {
  window.__probeSignals = [];
  window.__probeRequests = [];
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', m => {
        if (String(m.data).includes('"flux-pipelines"'))
          window.__probeSignals.push({ at: Date.now(), data: String(m.data) });
      });
    }
  };
  const nativeFetch = window.fetch;
  window.fetch = function (input, init) {
    const url = String(input instanceof Request ? input.url : input);
    if (!url.includes('/api/flux-pipelines/')) return nativeFetch.call(this, input, init);
    const entry = { url, start: Date.now() };
    window.__probeRequests.push(entry);
    return nativeFetch.call(this, input, init).then(res => {
      entry.end = Date.now(); // the answer's headers: its small body is there too
      res.clone().text().then(body => { entry.body = body; }, () => {});
      return res;
    });
  };
})()`;

export interface PageRecords {
  signals: Array<{ at: number; data: string }>;
  requests: Array<{ url: string; start: number; end?: number; body?: string }>;
}

/** How a signal names the version succeeding (the common package's field order). */
const succeededIn = (version: string) =>
  `"namespace":"dev","kind":"HelmRelease","name":"podinfo","chartVersion":"${version}","status":"succeeded"`;

/** The demo's backend log lines with their time, for {@link timeline}. */
export function backendLog(
  logs: string[],
): Array<{ at: number; line: string }> {
  return logs
    .join('')
    .split('\n')
    .filter(l => l.startsWith('[backend] '))
    .flatMap(line => {
      const at = Date.parse(line.slice(10, 34));
      return Number.isNaN(at) ? [] : [{ at, line }];
    });
}

/** One probe's steps, each the first that happened after the one before it. */
export function timeline(options: {
  version: string;
  standIn: number;
  shown: number;
  page: PageRecords;
  log: Array<{ at: number; line: string }>;
}): ProbeTimeline {
  const { version, standIn, shown, page, log } = options;
  const within = (t: number) => t >= standIn - 5 && t <= shown;
  const stored = log.find(
    l =>
      within(l.at) &&
      l.line.includes('changed deployments') &&
      l.line.includes(`:dev/podinfo@${version} succeeded`),
  )?.at;
  const published = log.find(
    l =>
      within(l.at) &&
      l.line.includes('topic=signals') &&
      l.line.includes(succeededIn(version)),
  )?.at;
  const received = page.signals.find(
    s => within(s.at) && s.data.includes(succeededIn(version)),
  )?.at;
  // the last answer before the card changed is the one it shows
  const answer = page.requests
    .filter(
      r =>
        r.url.includes('/pipelines?') &&
        r.end !== undefined &&
        r.end <= shown &&
        // (the development backend indents its JSON)
        r.body?.replace(/":\s+/g, '":').includes(`"chartVersion":"${version}"`),
    )
    .pop();
  return {
    standIn,
    stored,
    published,
    received,
    requested: answer?.start,
    answered: answer?.end,
    shown,
    signals: page.signals.filter(s => within(s.at)).length,
    requests: page.requests.filter(r => within(r.start)).length,
  };
}

const STEPS: Array<[string, keyof ProbeTimeline]> = [
  ['stand-in change', 'standIn'],
  ['stored (backend)', 'stored'],
  ['signal published', 'published'],
  ['signal received (page)', 'received'],
  ['reload request sent', 'requested'],
  ['reload answered', 'answered'],
  ['card changed', 'shown'],
];

/** p50/p99 of each gap between consecutive steps that were seen, over the probes. */
export function breakdown(probes: ProbeTimeline[]) {
  const gaps = new Map<string, number[]>();
  for (const p of probes) {
    const seen = STEPS.filter(([, k]) => p[k] !== undefined);
    for (let i = 0; i + 1 < seen.length; i++) {
      const label = `${seen[i][0]} → ${seen[i + 1][0]}`;
      const gap = (p[seen[i + 1][1]] as number) - (p[seen[i][1]] as number);
      gaps.set(label, [...(gaps.get(label) ?? []), gap]);
    }
  }
  const per = (k: 'signals' | 'requests') =>
    round(
      percentile(
        probes.map(p => p[k]),
        50,
      ),
      1,
    );
  return {
    gaps: [...gaps].map(([gap, values]) => ({
      gap,
      probes: values.length,
      p50: round(percentile(values, 50), 1),
      p99: round(percentile(values, 99), 1),
    })),
    signalsPerProbe: per('signals'),
    requestsPerProbe: per('requests'),
  };
}
