import { field, isObj, str, isoTime } from './values';

/** One status condition, leniently read. */
export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message: string;
  lastTransitionTime?: string;
}

/** Reads `status.conditions[]`, skipping malformed entries. */
export function readConditions(status: unknown): Condition[] {
  const raw = field(status, 'conditions');
  if (!Array.isArray(raw)) return [];
  const out: Condition[] = [];
  for (const c of raw.slice(0, 50)) {
    if (!isObj(c)) continue;
    const type = str(field(c, 'type'), 128);
    const st = str(field(c, 'status'), 16);
    if (!type || !st) continue;
    const message = field(c, 'message');
    out.push({
      type,
      status: st,
      reason: str(field(c, 'reason'), 128),
      message: typeof message === 'string' ? message : '',
      lastTransitionTime: isoTime(field(c, 'lastTransitionTime')),
    });
  }
  return out;
}

export function findCondition(
  conds: Condition[],
  type: string,
): Condition | undefined {
  return conds.find(c => c.type === type);
}

/** The `Reconciling` condition when it says a release is in progress. */
export function progressingCondition(
  conds: Condition[],
): Condition | undefined {
  const c = findCondition(conds, 'Reconciling');
  if (c?.status === 'True' && c.reason === 'Progressing') return c;
  // v2beta1 had no Reconciling condition: Ready Unknown/Progressing.
  const ready = findCondition(conds, 'Ready');
  if (ready?.status === 'Unknown' && ready.reason === 'Progressing')
    return ready;
  return undefined;
}
