import {
  StatusError,
  StatusOK,
  StatusPending,
} from '@backstage/core-components';
import { GateStatus } from '@flux-pipelines/plugin-flux-pipelines-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';

const ICON = {
  passed: StatusOK,
  waiting: StatusPending,
  failed: StatusError,
} as const;

/** The first gate that refuses the promotion, if any. */
export function refusingGate(gates: GateStatus[] | undefined) {
  return gates?.find(g => g.state !== 'passed');
}

/** What a refusing gate means for the promote button. */
export function gateReason(gate: GateStatus): string {
  return `Refused by gate ${gate.gate}: ${gate.reason}`;
}

/**
 * The gates of an environment for the version the card would promote, one
 * line each under the promote button: "soak 22 of 30 min in test".
 */
export const GateList = ({ gates }: { gates?: GateStatus[] }) =>
  gates?.length ? (
    <Box mt={1} role="group" aria-label="Gates">
      {gates.map(gate => {
        const Icon = ICON[gate.state];
        return (
          <Typography key={gate.gate} variant="caption" component="div">
            <Icon>
              {gate.gate}: {gate.reason}
            </Icon>
          </Typography>
        );
      })}
    </Box>
  ) : null;
