import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  GateStatus,
  PromotableVersion,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import Typography from '@material-ui/core/Typography';
import useAsync from 'react-use/esm/useAsync';
import { fluxPipelinesApiRef } from '../../api/FluxPipelinesApi';
import { usePipelineContext } from '../PipelineCard/PipelineContext';
import { describeError } from '../shared/describeError';
import { ConfirmDialog } from './ConfirmDialog';
import { PromotionPreviewView } from './PromotionPreviewView';

/**
 * Confirms a promotion (or a rollback) of a version into an environment: loads
 * the preview, and on confirmation POSTs the promotion.
 */
export const PromoteDialog = ({
  open,
  environment,
  version,
  rollback,
  override,
  onClose,
}: {
  open: boolean;
  environment: string;
  /** The version to promote (or roll back to). */
  version: PromotableVersion;
  rollback?: boolean;
  /** Refusing gates the user chose to pass ("Promote anyway"); audited. */
  override?: GateStatus[];
  onClose: () => void;
}) => {
  const api = useApi(fluxPipelinesApiRef);
  const { pipeline, entityRef, refresh } = usePipelineContext();
  const preview = useAsync(
    async () =>
      open
        ? api.getPromotionPreview(pipeline, {
            environment,
            version: version.version,
            ...(rollback ? { rollback: true } : {}),
          })
        : undefined,
    [
      rollback,
      api,
      pipeline.namespace,
      pipeline.name,
      environment,
      version.version,
      open,
    ],
  );

  const title = rollback
    ? `Roll back ${environment} to ${version.version}`
    : `Promote ${version.version} to ${environment}${
        override ? ' anyway' : ''
      }`;

  let confirmLabel = override ? 'Promote anyway' : 'Promote';
  if (rollback) confirmLabel = 'Roll back';

  return (
    <ConfirmDialog
      open={open}
      title={title}
      confirmLabel={confirmLabel}
      confirmDisabled={preview.loading}
      onClose={onClose}
      onConfirm={async () => {
        await api.createPromotion(pipeline, {
          environment,
          version: version.version,
          entityRef,
          ...(rollback && { rollback: true }),
          ...(override && { override: true }),
        });
        refresh();
      }}
    >
      {rollback && (
        <Typography variant="body2" paragraph>
          After a rollback, automatic promotion into {environment} is held until
          someone releases the hold.
        </Typography>
      )}
      {override && (
        <Typography variant="body2" color="error" paragraph role="alert">
          This passes gates that refuse it (
          {override.map(g => `${g.gate}: ${g.reason}`).join('; ')}). The
          override is audited and shown on the promotion.
        </Typography>
      )}
      {preview.loading && <Progress />}
      {preview.error && (
        <Typography variant="body2" color="error" role="alert">
          Could not load the preview: {describeError(preview.error)}
        </Typography>
      )}
      {preview.value && <PromotionPreviewView preview={preview.value} />}
    </ConfirmDialog>
  );
};
