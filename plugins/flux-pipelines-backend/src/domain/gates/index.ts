import {
  GateStatus,
  GatesSpec,
  HealthGate,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { z } from 'zod';
import { Gate, GateInput } from './Gate';
import { healthGate } from './health';
import { soakGate } from './soak';
import { windowsGate } from './windows';

export type { GateInput } from './Gate';
export type { ListedObjectEvidence } from './listedObject';
export { currentRecord } from './listedObject';

/** Every gate, in the order they are shown and checked; a new gate is one line here. */
const GATES: Array<Gate<any>> = [soakGate, healthGate, windowsGate];

const gatesSchema = z
  .object(Object.fromEntries(GATES.map(g => [g.key, g.schema.optional()])))
  .strict();

/**
 * Reads the `gates` of an environment (app-config or a Pipeline object);
 * returns an error naming the key for unusable settings.
 */
export function parseGates(
  raw: unknown,
  label: string,
): { gates?: GatesSpec; error?: string } {
  if (raw === undefined || raw === null) return {};
  const result = gatesSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = ['gates', ...issue.path].join('.');
    return { error: `${label}: ${key}: ${issue.message}` };
  }
  const gates = Object.fromEntries(
    Object.entries(result.data).filter(([, v]) => v !== undefined),
  ) as GatesSpec;
  return Object.keys(gates).length ? { gates } : {};
}

/**
 * The gates of both settings, each the stricter of the two where both set
 * it: app-config's can only be tightened by a Pipeline object, never lifted.
 */
export function stricterGates(
  a: GatesSpec | undefined,
  b: GatesSpec | undefined,
): GatesSpec | undefined {
  if (!a || !b) return a ?? b;
  const merged: Record<string, unknown> = { ...a, ...b };
  for (const gate of GATES) {
    const x = (a as any)[gate.key];
    const y = (b as any)[gate.key];
    if (x !== undefined && y !== undefined)
      merged[gate.key] = gate.stricter(x, y);
  }
  return merged as GatesSpec;
}

/** Each set gate's state for promoting `input.version` now, in gate order. */
export function evaluateGates(
  gates: GatesSpec | undefined,
  input: GateInput,
): GateStatus[] {
  return GATES.flatMap(gate => {
    const setting = (gates as any)?.[gate.key];
    if (setting === undefined) return [];
    const { until, ...result } = gate.evaluate(setting, input);
    return [
      {
        gate: gate.key,
        ...result,
        ...(until !== undefined
          ? { until: new Date(until).toISOString() }
          : {}),
      },
    ];
  });
}

/** The gates that refuse a promotion now (waiting or failed). */
export function blockingGates(states: GateStatus[]): GateStatus[] {
  return states.filter(s => s.state !== 'passed');
}

/** The earliest moment a waiting gate changes on its own (ms), if any. */
export function nextGateChange(states: GateStatus[]): number | undefined {
  const times = states
    .filter(s => s.state === 'waiting' && s.until)
    .map(s => Date.parse(s.until!));
  return times.length ? Math.min(...times) : undefined;
}

/** The objects a health gate lists (none without one). */
export function listedObjects(
  gates: GatesSpec | undefined,
): NonNullable<HealthGate['objects']> {
  return gates?.health?.objects ?? [];
}

/** Whether evaluating the gates needs the canaries' verdicts (a health gate with `canary`). */
export function needsCanaries(gates: GatesSpec | undefined): boolean {
  return !!gates?.health?.canary;
}
