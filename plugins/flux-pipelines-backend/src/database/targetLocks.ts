import { createHash } from 'node:crypto';
import { Knex } from 'knex';
import { objectKey } from '../domain/objectKey';
import { FluxObjectRef } from './ObservationStore';

/** First key of this plugin's PostgreSQL advisory locks ("flux" in ASCII). */
const LOCK_CLASS = 0x666c7578;

/**
 * PostgreSQL: takes the transaction-scoped advisory lock of each object, in
 * ascending key order in one statement (as every unit does, so none
 * deadlock). Whatever else writes an object's derived rows (the insights'
 * summary built from existing rows) takes them too, to queue behind its
 * ingest.
 */
export async function lockTargets(
  tx: Knex,
  refs: FluxObjectRef[],
): Promise<void> {
  if (!refs.length) return;
  // unnest yields the sorted keys in order, and each is locked in turn.
  await tx.raw(
    'SELECT count(pg_advisory_xact_lock(?, k)) FROM unnest(?::int[]) AS k',
    [LOCK_CLASS, lockKeys(refs)],
  );
}

/** The objects' 32-bit lock keys, distinct and ascending. */
function lockKeys(refs: FluxObjectRef[]): number[] {
  const keys = new Set<number>();
  for (const r of refs) {
    keys.add(createHash('sha1').update(objectKey(r)).digest().readInt32BE(0));
  }
  return [...keys].sort((a, b) => a - b);
}
