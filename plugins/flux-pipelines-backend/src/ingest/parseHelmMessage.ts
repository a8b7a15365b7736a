import type {
  ObservationAction,
  ObservationOutcome,
} from '@flux-pipelines/plugin-flux-pipelines-common';

/** Prefix Kubernetes puts on aggregated events (which carry no annotations). */
export const AGGREGATED_PREFIX = '(combined from similar events): ';

/** What a helm-controller message says, as far as it can be read. */
export interface ParsedHelmMessage {
  action?: ObservationAction;
  outcome?: ObservationOutcome;
  releaseNamespace?: string;
  releaseName?: string;
  /** `N` of `<ns>/<name>.v<N>`; absent in failure messages. */
  releaseRevision?: number;
  chartName?: string;
  /** Chart version, incl. an OCI `+digest` suffix. */
  chartVersion?: string;
  /** True when the message was an aggregated `(combined from similar events)` one. */
  aggregated?: boolean;
}

/** Only the head of a message is parsed: errors and Helm logs follow it. */
const PARSE_WINDOW = 2048;

const HELM_ACTIONS: Record<string, ObservationAction> = {
  install: 'install',
  upgrade: 'upgrade',
  test: 'test',
  rollback: 'rollback',
  uninstall: 'uninstall',
};

// `release <ns>/<name>[.v<N>]` followed by a space or the end.
const RELEASE_RE =
  /\brelease ([a-z0-9][-a-z0-9.]*)\/([a-z0-9][-a-z0-9.]*?)(?:\.v(\d{1,9}))?(?=[\s:]|$)/;
// `with chart <chart>@<version>`; semver never has ':' or spaces.
const CHART_RE = /\bwith chart ([^\s@]{1,253})@([^\s:]{1,253})/;
// `Helm <action> ...` (v2) or legacy `Helm <action> has started/succeeded/failed`.
const HELM_HEAD_RE = /^Helm (install|upgrade|test|rollback|uninstall)\b/;

function outcomeOf(head: string): ObservationOutcome | undefined {
  if (/^Helm \w+ has started/.test(head)) return 'progressing';
  // The first verdict word wins: `... succeeded for release` / `... failed: err`.
  const m = /\b(succeeded|failed)\b/.exec(head);
  if (!m) return undefined;
  return m[1] === 'succeeded' ? 'succeeded' : 'failed';
}

/**
 * Reads a helm-controller message (FLUX.md §1), new or legacy. The fallback
 * when annotations are missing, e.g. for aggregated events. Never throws;
 * returns `{}` when nothing is recognised.
 */
export function parseHelmMessage(message: string): ParsedHelmMessage {
  if (typeof message !== 'string') return {};
  let text = message.slice(0, PARSE_WINDOW);
  const out: ParsedHelmMessage = {};
  if (text.startsWith(AGGREGATED_PREFIX)) {
    out.aggregated = true;
    text = text.slice(AGGREGATED_PREFIX.length);
  }
  // Verdicts are in the first line; error text and Helm logs come later.
  const firstLine = text.split('\n', 1)[0];

  const head = HELM_HEAD_RE.exec(firstLine);
  if (head) {
    out.action = HELM_ACTIONS[head[1]];
    // Release and chart names may contain `failed`: take them out first.
    const verdictText = firstLine.replace(RELEASE_RE, '').replace(CHART_RE, '');
    out.outcome = outcomeOf(verdictText);
    if (out.outcome === 'progressing') out.action = 'progress';
  } else if (/^Cluster state of release /.test(firstLine)) {
    out.action = 'drift';
    out.outcome = /\bcorrect(ed|ion succeeded)\b/.test(firstLine)
      ? 'succeeded'
      : 'info';
  } else if (/^reconciliation failed\b/i.test(firstLine)) {
    out.action = 'other';
    out.outcome = 'failed';
  } else if (
    /^Running '(install|upgrade|test|rollback|uninstall)' action/.test(
      firstLine,
    )
  ) {
    out.action = 'progress';
    out.outcome = 'progressing';
  }

  const rel = RELEASE_RE.exec(firstLine);
  if (rel) {
    out.releaseNamespace = rel[1];
    out.releaseName = rel[2];
    if (rel[3] !== undefined) out.releaseRevision = Number(rel[3]);
  }
  const chart = CHART_RE.exec(firstLine);
  if (chart) {
    out.chartName = chart[1];
    out.chartVersion = chart[2];
  }
  return out;
}
