import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { rootCause } from '@flux-pipelines/plugin-flux-pipelines-common';
import { useState } from 'react';

const useStyles = makeStyles(theme => ({
  log: {
    whiteSpace: 'pre-wrap',
    wordBreak: 'break-word',
    fontFamily: 'monospace',
    fontSize: theme.typography.caption.fontSize,
    maxHeight: 320,
    overflow: 'auto',
    margin: theme.spacing(0.5, 0, 0),
    padding: theme.spacing(1),
    color: theme.palette.text.primary,
    backgroundColor: theme.palette.background.default,
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
  },
}));

/**
 * A failure's cause first (the innermost errors of Helm's and kustomize's
 * messages), with the whole message (Helm's log lines kept as they are)
 * behind a "Show details" toggle.
 */
export const FailureMessage = ({ message }: { message: string }) => {
  const classes = useStyles();
  const [open, setOpen] = useState(false);
  const cause = rootCause(message);
  const hasMore = message.trim() !== cause;
  return (
    <Box mt={0.5}>
      <Typography variant="body2" color="error">
        {cause}
      </Typography>
      {hasMore && (
        <>
          <Button
            size="small"
            aria-expanded={open}
            onClick={() => setOpen(!open)}
          >
            {open ? 'Hide details' : 'Show details'}
          </Button>
          {open && <pre className={classes.log}>{message}</pre>}
        </>
      )}
    </Box>
  );
};
