/**
 * The states already notified. A sender claims a state's identity before it
 * sends; only the one claim that inserts it sends, so several replicas, a
 * restart, or the same state announced again send a notification once.
 */
export interface NotificationClaims {
  /** Whether this call claimed `subject` (false: it was claimed before). */
  claim(subject: string): Promise<boolean>;
  /** Gives a claim up (its sending failed), so a repeat of the state may send it. */
  release(subject: string): Promise<void>;
  /** Deletes the claims made before `time` (retention); returns how many. */
  deleteOlderThan(time: Date): Promise<number>;
}
