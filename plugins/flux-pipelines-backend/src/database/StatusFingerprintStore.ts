import { FluxObjectRef } from './ObservationStore';

/** One object's fingerprint (see {@link StatusFingerprintStore}). */
export interface StatusFingerprint {
  ref: FluxObjectRef;
  fingerprint: string;
}

/**
 * Per HelmRelease / Kustomization, short digests of the observations its
 * status last gave, saved once they were recorded; a list skips the
 * observations whose digests it finds.
 */
export interface StatusFingerprintStore {
  /** The fingerprints of one kind on one cluster, by `namespace/name`. */
  readKind(
    cluster: string,
    kind: FluxObjectRef['kind'],
  ): Promise<Map<string, string>>;
  /** Saves (replaces) the fingerprints of these objects. */
  save(fingerprints: StatusFingerprint[]): Promise<void>;
  /** Forgets the fingerprints of these objects (gone from their cluster). */
  forget(refs: FluxObjectRef[]): Promise<void>;
}
