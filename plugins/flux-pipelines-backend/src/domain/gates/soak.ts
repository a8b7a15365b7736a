import { isDeployedNow } from '../../correlate/confirmedSuccess';
import { at } from '../time';
import { durationSchema, formatMinutes, parseDuration } from './duration';
import { Gate, GateInput, GateResult } from './Gate';

/**
 * Soak time: the version ran successfully on every target of the previous
 * environment for at least the duration, counted from its last target's
 * success, and still runs there: each target's newest deployment is this
 * version, deployed now as its status confirms (a failure, rollback or newer
 * attempt since fails the gate).
 */
export const soakGate: Gate<string> = {
  key: 'soak',
  schema: durationSchema,
  stricter: (a, b) => (parseDuration(a)! >= parseDuration(b)! ? a : b),
  evaluate(setting, input): GateResult {
    const soakMs = parseDuration(setting)!;
    const total = formatMinutes(soakMs);
    const { version, fromEnvironment } = input;
    let since = -Infinity;
    for (const list of input.previous) {
      const newest = list[0];
      if (!newest || newest.chartVersion !== version) {
        return failed(
          input,
          `${version} no longer runs there (${where(newest)} ${
            newest ? `has ${newest.chartVersion}` : 'runs nothing'
          })`,
        );
      }
      if (!isDeployedNow(newest)) {
        return newest.status === 'progressing'
          ? {
              state: 'waiting',
              reason: `soak of ${total} in ${fromEnvironment} waits: ${version} is deploying again on ${where(
                newest,
              )}`,
            }
          : failed(input, `${version} is ${newest.status} on ${where(newest)}`);
      }
      since = Math.max(since, at(newest.finishedAt ?? newest.updatedAt));
    }
    if (!input.previous.length || !Number.isFinite(since)) {
      return failed(input, `${version} runs on no target there`);
    }
    const elapsed = input.now - since;
    if (elapsed >= soakMs) {
      return {
        state: 'passed',
        reason: `soaked ${formatMinutes(
          elapsed,
        )} of ${total} in ${fromEnvironment}`,
      };
    }
    return {
      state: 'waiting',
      reason: `soak ${progress(elapsed, soakMs)} in ${fromEnvironment}`,
      until: since + soakMs,
    };
  },
};

/** "22 of 30 min" (seconds for soaks under a minute). */
function progress(elapsed: number, soakMs: number): string {
  const unit = soakMs >= 60_000 ? 60_000 : 1000;
  const done = Math.max(0, Math.floor(elapsed / unit));
  return `${done} of ${Math.floor(soakMs / unit)} ${
    unit === 1000 ? 's' : 'min'
  }`;
}

function failed(input: GateInput, why: string): GateResult {
  return {
    state: 'failed',
    reason: `soak in ${input.fromEnvironment} failed: ${why}`,
  };
}

function where(d: { cluster: string; namespace: string } | undefined) {
  return d ? `${d.cluster}/${d.namespace}` : 'a target';
}
