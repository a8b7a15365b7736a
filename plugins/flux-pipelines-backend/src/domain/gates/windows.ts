import { DeployWindows } from '@flux-pipelines/plugin-flux-pipelines-common';
import { z } from 'zod';
import { durationSchema, parseDuration } from './duration';
import { cronError, formatMoment, windowAt } from './deployWindow';
import { Gate, GateResult } from './Gate';

const windowSchema = z
  .object({ start: z.string(), duration: durationSchema })
  .strict();

const windowsSchema = z
  .object({
    timeZone: z.string().default('UTC'),
    allow: z.array(windowSchema).optional(),
    deny: z.array(windowSchema).optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    for (const key of ['allow', 'deny'] as const) {
      value[key]?.forEach((w, i) => {
        const error = cronError(w.start, value.timeZone);
        if (error)
          ctx.addIssue({
            code: 'custom',
            path: [key, i, 'start'],
            message: error,
          });
      });
    }
  });

/**
 * Deploy windows: promotions into the environment only while one of a set's
 * `allow` windows is open (any time when it has none) and none of its `deny`
 * windows (freezes) is. Written as one set or a list of sets; every set
 * must allow, so combining app-config's and a Pipeline's sets is stricter.
 */
export const windowsGate: Gate<DeployWindows[]> = {
  key: 'windows',
  schema: z
    .union([windowsSchema, z.array(windowsSchema)])
    .transform(v => (Array.isArray(v) ? v : [v])),
  stricter: (a, b) => [...a, ...b],
  evaluate(sets, input): GateResult {
    const results = sets.map(set => evaluateSet(set, input.now));
    return (
      results.find(r => r.state === 'failed') ??
      results.find(r => r.state === 'waiting') ??
      results[0] ?? { state: 'passed', reason: 'no deploy window set' }
    );
  },
};

function evaluateSet(set: DeployWindows, now: number): GateResult {
  const { timeZone } = set;
  const states = (list: DeployWindows['allow']) =>
    (list ?? []).map(w => ({
      start: w.start,
      ...windowAt(w.start, timeZone, parseDuration(w.duration)!, now),
    }));
  const when = (ms: number) => formatMoment(ms, timeZone, now);
  const frozen = states(set.deny).filter(s => s.open);
  if (frozen.length) {
    const until = Math.max(...frozen.map(s => (s.open ? s.closesAt : now)));
    return {
      state: 'waiting',
      reason: `deploy freeze (deny '${frozen[0].start}') until ${when(until)}`,
      until,
    };
  }
  const allow = states(set.allow);
  if (!allow.length) return { state: 'passed', reason: 'no deploy freeze now' };
  const open = allow.filter(s => s.open);
  if (open.length) {
    const closes = Math.max(...open.map(s => (s.open ? s.closesAt : now)));
    return {
      state: 'passed',
      reason: `inside deploy window until ${when(closes)}`,
    };
  }
  const opens = allow
    .map(s => (s.open ? undefined : s.opensAt))
    .filter((t): t is number => t !== undefined);
  if (!opens.length) {
    return {
      state: 'failed',
      reason: 'outside deploy window, and none opens again',
    };
  }
  const until = Math.min(...opens);
  return {
    state: 'waiting',
    reason: `outside deploy window until ${when(until)}`,
    until,
  };
}
