import { useApi } from '@backstage/core-plugin-api';
import { PromotionHold } from '@flux-pipelines/plugin-flux-pipelines-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import { fluxPipelinesApiRef } from '../../api/FluxPipelinesApi';
import { usePipelineContext } from '../PipelineCard/PipelineContext';
import { StatusLabel } from '../shared/status';
import { Timestamp } from '../shared/Timestamp';
import { DisabledReason } from './DisabledReason';
import { ConfirmDialog } from './ConfirmDialog';
import { shortRef } from './PromotionSummary';

/** "Automatic promotion held since rollback to X", with a "Release hold" action. */
export const HoldNotice = ({
  environment,
  hold,
  disabledReason,
}: {
  environment: string;
  hold: PromotionHold;
  disabledReason?: string;
}) => {
  const api = useApi(fluxPipelinesApiRef);
  const { pipeline, entityRef, refresh } = usePipelineContext();
  const [confirming, setConfirming] = useState(false);
  return (
    <Box mt={1.5} role="group" aria-label="Promotion hold">
      <Typography variant="body2" component="div">
        <StatusLabel status={{ kind: 'warning', label: 'Held' }}>
          Automatic promotion held since rollback to {hold.version}
        </StatusLabel>
      </Typography>
      <Typography variant="caption" color="textSecondary" component="div">
        by {shortRef(hold.heldBy)} <Timestamp iso={hold.heldAt} />
      </Typography>
      <DisabledReason reason={disabledReason}>
        <Button
          size="small"
          variant="outlined"
          disabled={Boolean(disabledReason)}
          onClick={() => setConfirming(true)}
        >
          Release hold
        </Button>
      </DisabledReason>
      <ConfirmDialog
        open={confirming}
        title={`Release the hold on ${environment}`}
        confirmLabel="Release hold"
        onClose={() => setConfirming(false)}
        onConfirm={async () => {
          await api.releaseHold(pipeline, environment, { entityRef });
          refresh();
        }}
      >
        <Typography variant="body2">
          New versions will be promoted into {environment} automatically again.
        </Typography>
      </ConfirmDialog>
    </Box>
  );
};
