import Tooltip from '@material-ui/core/Tooltip';
import { makeStyles } from '@material-ui/core/styles';
import { cloneElement, ReactElement, useId } from 'react';

const useStyles = makeStyles({
  wrapper: { display: 'inline-block' },
  visuallyHidden: {
    position: 'absolute',
    width: 1,
    height: 1,
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
  },
});

/**
 * Shows why an action is disabled. A disabled button gets no mouse events,
 * so it sits in a span that carries the tooltip; the reason is also the
 * button's accessible description, for screen readers.
 */
export const DisabledReason = ({
  reason,
  children,
}: {
  /** Why the action cannot be taken; none when it can. */
  reason?: string;
  children: ReactElement;
}) => {
  const classes = useStyles();
  const id = useId();
  if (!reason) return children;
  return (
    <Tooltip title={reason}>
      <span className={classes.wrapper}>
        {cloneElement(children, { 'aria-describedby': id })}
        <span id={id} className={classes.visuallyHidden}>
          {reason}
        </span>
      </span>
    </Tooltip>
  );
};
