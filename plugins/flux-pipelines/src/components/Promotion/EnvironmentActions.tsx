import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  EnvironmentStatus,
  fluxPipelinesPromotionApprovePermission,
  fluxPipelinesPromotionCreatePermission,
  fluxPipelinesPromotionOverridePermission,
  GateStatus,
  PromotableVersion,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Menu from '@material-ui/core/Menu';
import MenuItem from '@material-ui/core/MenuItem';
import Typography from '@material-ui/core/Typography';
import HistoryIcon from '@material-ui/icons/History';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { fluxPipelinesApiRef } from '../../api/FluxPipelinesApi';
import { usePipelineContext } from '../PipelineCard/PipelineContext';
import { promoteBlockedBy } from '../shared/environmentWords';
import { ConfirmDialog } from './ConfirmDialog';
import { DisabledReason } from './DisabledReason';
import { GateList, gateReason, refusingGate } from './GateList';
import { HoldNotice } from './HoldNotice';
import { PromoteDialog } from './PromoteDialog';
import { PromotionSummary, shortRef } from './PromotionSummary';

/** Why a permission blocks an action, or nothing when it allows it. */
function deniedReason(
  result: { loading: boolean; allowed: boolean },
  denied: string,
): string | undefined {
  if (result.loading) return 'Checking your permissions…';
  return result.allowed ? undefined : denied;
}

/**
 * An environment's promotion: the newest promotion's progress, the hold a
 * rollback set, and the actions (promote, approve, roll back, release hold),
 * each disabled with its reason when not possible.
 */
export const EnvironmentActions = ({
  environment,
  previousEnvironment,
}: {
  environment: EnvironmentStatus;
  /** The environment versions come from; none for the first environment. */
  previousEnvironment?: string;
}) => {
  const api = useApi(fluxPipelinesApiRef);
  const { pipeline, entityRef, refresh } = usePipelineContext();
  const create = usePermission({
    permission: fluxPipelinesPromotionCreatePermission,
    resourceRef: entityRef,
  });
  const approve = usePermission({
    permission: fluxPipelinesPromotionApprovePermission,
    resourceRef: entityRef,
  });
  const override = usePermission({
    permission: fluxPipelinesPromotionOverridePermission,
    resourceRef: entityRef,
  });
  const [promoting, setPromoting] = useState<
    | {
        version: PromotableVersion;
        rollback: boolean;
        open: boolean;
        override?: GateStatus[];
      }
    | undefined
  >();
  const [approving, setApproving] = useState(false);
  const [menuAnchor, setMenuAnchor] = useState<HTMLElement | null>(null);

  const { promotion, hold, promotable, name, activity } = environment;
  const createDenied = deniedReason(
    create,
    `You are not allowed to promote to ${name}`,
  );
  const blocked = promoteBlockedBy(environment, previousEnvironment);
  // A refusing gate disables the button, unless the user may override it.
  const gate = promotable ? refusingGate(environment.gates) : undefined;
  const overriding = Boolean(gate && override.allowed);
  const promoteReason =
    createDenied ??
    blocked ??
    (gate && !overriding ? gateReason(gate) : undefined);
  const busy =
    activity?.kind === 'awaiting-approval' || activity?.kind === 'deploying';
  const rollbackReason = createDenied ?? (busy ? blocked : undefined);
  const identity = useApi(identityApiRef);
  const me = useAsync(
    async () => (await identity.getBackstageIdentity()).userEntityRef,
    [identity],
  );
  const approveReason =
    deniedReason(
      approve,
      `You are not allowed to approve promotions to ${name}`,
    ) ??
    (environment.separateApprover && promotion?.requestedBy === me.value
      ? `${name} is protected: someone other than you, who asked for this promotion, must approve it`
      : undefined);
  const candidates = environment.rollbackCandidates ?? [];

  return (
    <>
      {promotion && <PromotionSummary promotion={promotion} />}
      {hold && (
        <HoldNotice
          environment={name}
          hold={hold}
          disabledReason={createDenied}
        />
      )}
      <Box
        mt={1.5}
        display="flex"
        flexWrap="wrap"
        alignItems="center"
        style={{ gap: 8 }}
      >
        {previousEnvironment && (
          <DisabledReason reason={promoteReason}>
            <Button
              size="small"
              variant="contained"
              color="primary"
              disabled={Boolean(promoteReason)}
              onClick={() =>
                promotable &&
                setPromoting({
                  version: promotable,
                  rollback: false,
                  open: true,
                  ...(overriding
                    ? {
                        override: environment.gates!.filter(
                          g => g.state !== 'passed',
                        ),
                      }
                    : {}),
                })
              }
            >
              {promotable
                ? `Promote ${promotable.version} to ${name}${
                    overriding ? ' anyway' : ''
                  }`
                : `Promote to ${name}`}
            </Button>
          </DisabledReason>
        )}
        {promotion?.state === 'waiting-approval' && (
          <DisabledReason reason={approveReason}>
            <Button
              size="small"
              variant="outlined"
              color="primary"
              disabled={Boolean(approveReason)}
              onClick={() => setApproving(true)}
            >
              Approve
            </Button>
          </DisabledReason>
        )}
        {candidates.length > 0 && (
          <DisabledReason reason={rollbackReason}>
            <Button
              size="small"
              variant="outlined"
              startIcon={<HistoryIcon />}
              aria-label={`Roll back ${name}`}
              aria-haspopup="menu"
              disabled={Boolean(rollbackReason)}
              onClick={e => setMenuAnchor(e.currentTarget)}
            >
              Roll back…
            </Button>
          </DisabledReason>
        )}
      </Box>
      {previousEnvironment && <GateList gates={environment.gates} />}
      <Menu
        anchorEl={menuAnchor}
        open={Boolean(menuAnchor)}
        onClose={() => setMenuAnchor(null)}
      >
        {candidates.map(candidate => (
          <MenuItem
            key={candidate.version}
            onClick={() => {
              setMenuAnchor(null);
              setPromoting({ version: candidate, rollback: true, open: true });
            }}
          >
            Roll back to {candidate.version}
            {candidate.appVersion ? ` (app ${candidate.appVersion})` : ''}
          </MenuItem>
        ))}
      </Menu>
      {promoting && (
        <PromoteDialog
          open={promoting.open}
          environment={name}
          version={promoting.version}
          rollback={promoting.rollback}
          override={promoting.override}
          onClose={() => setPromoting({ ...promoting, open: false })}
        />
      )}
      {promotion && (
        <ConfirmDialog
          open={approving}
          title={`Approve the promotion of ${promotion.version} to ${name}`}
          confirmLabel="Approve"
          onClose={() => setApproving(false)}
          onConfirm={async () => {
            await api.approvePromotion(pipeline, promotion.id, { entityRef });
            refresh();
          }}
        >
          <Typography variant="body2">
            Requested by {shortRef(promotion.requestedBy)}
            {promotion.previousVersion &&
              `; ${name} runs ${promotion.previousVersion} now`}
            .
          </Typography>
        </ConfirmDialog>
      )}
    </>
  );
};
