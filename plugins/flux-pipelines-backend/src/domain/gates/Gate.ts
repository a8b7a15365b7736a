import {
  GateStatus,
  TargetDeployment,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { z } from 'zod';
import { CanaryVerdict } from '../canaryVerdict';
import { ListedObjectEvidence } from './listedObject';

/**
 * What a gate decides on: promoting `version` from `fromEnvironment` into an
 * environment at `now`, with what is known of the previous environment's
 * targets. Gates that need more observations add them here, gathered by the
 * caller.
 */
export interface GateInput {
  version: string;
  fromEnvironment: string;
  /** Each target of the previous environment: its deployments, newest first. */
  previous: TargetDeployment[][];
  /** The clock (ms). */
  now: number;
  /**
   * Per target of `previous` (same order), the Flagger canaries' verdict on
   * `version`; gathered only when a gate needs it (see `needsCanaries`).
   */
  canaries?: CanaryVerdict[];
  /**
   * The objects a health gate lists, on each cluster of the previous
   * environment; gathered only when a gate lists some (see `listedObjects`).
   */
  objects?: ListedObjectEvidence[];
}

/** A gate's state; `until` in ms (the domain's time), made RFC 3339 by the caller. */
export type GateResult = Omit<GateStatus, 'gate' | 'until'> & {
  until?: number;
};

/**
 * One kind of gate, the one file a new gate needs (plus its line in
 * `gates/index.ts`): how its setting is written (zod, for app-config and the
 * Pipeline object alike), how two settings combine into the stricter one
 * (app-config's and a Pipeline's: a Pipeline may only tighten), and what it
 * says of a promotion now. Pure: no I/O, the clock comes in the input.
 */
export interface Gate<S> {
  /** The key under `gates`, e.g. `soak`. */
  key: string;
  schema: z.ZodType<S, z.ZodTypeDef, unknown>;
  stricter(a: S, b: S): S;
  evaluate(setting: S, input: GateInput): GateResult;
}
