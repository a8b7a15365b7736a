import { FaultController, FailureRule } from './FaultController';

/** Fault actions by name, shared by the control endpoint and scenario steps. */
export type FaultAction =
  | { action: 'close-watches' }
  | { action: 'expire-next-watch'; count?: number }
  | { action: 'restart' }
  | { action: 'latency'; ms: number }
  | ({ action: 'errors' } & Partial<FailureRule>)
  | { action: 'pause' }
  | { action: 'resume' }
  | { action: 'clear' };

export const FAULT_ACTIONS = [
  'close-watches',
  'expire-next-watch',
  'restart',
  'latency',
  'errors',
  'pause',
  'resume',
  'clear',
] as const;

export function applyFault(
  faults: FaultController,
  fault: FaultAction,
): Record<string, unknown> {
  switch (fault.action) {
    case 'close-watches':
      return { closed: faults.closeWatches() };
    case 'expire-next-watch':
      faults.expireNextWatch(fault.count ?? 1);
      return {};
    case 'restart':
      faults.restart();
      return {};
    case 'latency':
      faults.setLatency(Number(fault.ms ?? 0));
      return {};
    case 'errors':
      faults.failRequests(
        fault.status
          ? {
              status: fault.status,
              ratio: fault.ratio,
              count: fault.count,
              retryAfterSeconds: fault.retryAfterSeconds,
            }
          : undefined,
      );
      return {};
    case 'pause':
      faults.pause();
      return {};
    case 'resume':
      faults.resume();
      return {};
    case 'clear':
      faults.clear();
      return {};
    default:
      throw new Error(
        `Unknown fault action '${
          (fault as any).action
        }'; expected one of ${FAULT_ACTIONS.join(', ')}`,
      );
  }
}
