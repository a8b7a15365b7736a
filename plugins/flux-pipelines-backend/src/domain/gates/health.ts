import { HealthGate } from '@flux-pipelines/plugin-flux-pipelines-common';
import { z } from 'zod';
import { isDeployedNow } from '../../correlate/confirmedSuccess';
import { Gate, GateInput, GateResult } from './Gate';
import { listedObjectState } from './listedObject';

const healthObjectSchema = z
  .object({
    kind: z.enum(['Kustomization', 'HelmRelease', 'Canary']),
    name: z.string().min(1),
    namespace: z.string().min(1).optional(),
  })
  .strict();

const healthSchema = z
  .object({
    canary: z.boolean().optional(),
    required: z.boolean().optional(),
    objects: z.array(healthObjectSchema).optional(),
  })
  .strict();

const objectKey = (o: NonNullable<HealthGate['objects']>[number]) =>
  JSON.stringify([o.kind, o.namespace ?? '', o.name]);

/**
 * Health: every target of the previous environment runs the version, Ready
 * as its status confirms (a deployment in progress waits, a failed or rolled
 * back one fails), and with `canary`, the Flagger canaries following it there
 * succeeded for the version: a failed canary fails the gate, one still
 * analysing waits, and a target without a canary passes unless `required`
 * (then it waits for one). With `objects`, each listed Flux or Flagger
 * object in the previous environment must be healthy too (see
 * `listedObject.ts`); the stricter of two settings lists both's objects.
 * From stored observations only.
 */
export const healthGate: Gate<HealthGate> = {
  key: 'health',
  schema: healthSchema,
  stricter: (a, b) => ({
    ...(a.canary || b.canary ? { canary: true } : {}),
    ...(a.required || b.required ? { required: true } : {}),
    ...(a.objects || b.objects
      ? {
          objects: [
            ...new Map(
              [...(a.objects ?? []), ...(b.objects ?? [])].map(o => [
                objectKey(o),
                o,
              ]),
            ).values(),
          ],
        }
      : {}),
  }),
  evaluate(setting, input): GateResult {
    const { version } = input;
    if (!input.previous.length)
      return failed(input, `${version} runs on no target`);
    const waits: string[] = [];
    for (const [i, list] of input.previous.entries()) {
      const newest = list[0];
      const where = newest
        ? `${newest.cluster}/${newest.namespace}`
        : 'a target';
      if (!newest || newest.chartVersion !== version) {
        return failed(input, `${version} does not run on ${where}`);
      }
      if (!isDeployedNow(newest)) {
        if (newest.status !== 'progressing')
          return failed(input, `${version} is ${newest.status} on ${where}`);
        waits.push(`${version} is not Ready yet on ${where}`);
        continue;
      }
      if (!setting.canary) continue;
      const verdict = input.canaries?.[i];
      const names = verdict?.canaries.map(c => c.canary).join(', ');
      if (verdict?.state === 'failed')
        return failed(input, `canary failed on ${where} (${names})`);
      if (verdict?.state === 'analysing')
        waits.push(`canary analysing on ${where} (${names})`);
      else if (verdict?.state !== 'succeeded' && setting.required)
        waits.push(`no canary verdict on ${where} yet (required)`);
    }
    for (const listed of input.objects ?? []) {
      const { state, why } = listedObjectState(listed, version);
      if (state === 'failed') return failed(input, why);
      if (state === 'waiting') waits.push(why);
    }
    if (waits.length) {
      return {
        state: 'waiting',
        reason: `health in ${input.fromEnvironment}: ${waits.join('; ')}`,
      };
    }
    return {
      state: 'passed',
      reason: `healthy in ${input.fromEnvironment}${
        setting.canary ? ' (canaries passed)' : ''
      }${
        setting.objects?.length
          ? ` (${setting.objects.length} listed objects healthy)`
          : ''
      }`,
    };
  },
};

function failed(input: GateInput, why: string): GateResult {
  return {
    state: 'failed',
    reason: `health in ${input.fromEnvironment} failed: ${why}`,
  };
}
