import { WarningPanel } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import { ReactNode, useEffect, useState } from 'react';
import { describeError } from '../shared/describeError';

/**
 * A confirmation dialog for an action on the backend. While the action runs
 * the buttons are disabled; when it fails the dialog stays open and shows the
 * backend's reason (e.g. a 409's "6.1.0 has not succeeded in dev"). Escape
 * and Cancel close it.
 */
export const ConfirmDialog = ({
  open,
  title,
  confirmLabel,
  confirmDisabled,
  onConfirm,
  onClose,
  children,
}: {
  open: boolean;
  title: string;
  confirmLabel: string;
  confirmDisabled?: boolean;
  /** Runs the action; the dialog closes when it resolves. */
  onConfirm: () => Promise<unknown>;
  onClose: () => void;
  children?: ReactNode;
}) => {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    if (open) setError(undefined);
  }, [open]);

  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
      setBusy(false);
      onClose();
    } catch (e) {
      setBusy(false);
      setError(describeError(e));
    }
  };

  const titleId = `confirm-${title.replace(/\W+/g, '-')}`;
  return (
    <Dialog
      open={open}
      onClose={busy ? undefined : onClose}
      aria-labelledby={titleId}
      maxWidth="md"
      fullWidth
    >
      <DialogTitle id={titleId}>{title}</DialogTitle>
      <DialogContent>
        {children}
        {error && (
          <Box mt={2} role="alert">
            <WarningPanel
              severity="error"
              title={`Could not ${confirmLabel.toLowerCase()}`}
              message={error}
              defaultExpanded
            />
          </Box>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button
          color="primary"
          variant="contained"
          onClick={confirm}
          disabled={busy || confirmDisabled}
        >
          {confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
