import { InsightsFigure } from '@flux-pipelines/plugin-flux-pipelines-common';
import Box from '@material-ui/core/Box';
import Link from '@material-ui/core/Link';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import InfoOutlined from '@material-ui/icons/InfoOutlined';
import { ReactNode, useState } from 'react';
import { DeploymentsDialog } from './DeploymentsDialog';

/**
 * One delivery figure: its value, how it is computed (on hover of the info
 * icon, and for screen readers), and a link to the deployments behind it.
 */
export const Figure = ({
  label,
  value,
  detail,
  figure,
  unit = 'deployments',
}: {
  label: string;
  value: ReactNode;
  detail?: ReactNode;
  figure: InsightsFigure;
  /** What `figure.n` counts, plural. */
  unit?: string;
}) => {
  const [open, setOpen] = useState(false);
  return (
    <Box role="group" aria-label={label} minWidth={170}>
      <Box display="flex" alignItems="center" style={{ gap: 4 }}>
        <Typography variant="overline" color="textSecondary">
          {label}
        </Typography>
        <Tooltip title={figure.definition}>
          <InfoOutlined
            fontSize="inherit"
            color="action"
            titleAccess={figure.definition}
          />
        </Tooltip>
      </Box>
      <Typography variant="h6" component="p">
        {value}
      </Typography>
      {detail && (
        <Typography variant="caption" color="textSecondary" component="p">
          {detail}
        </Typography>
      )}
      <Link component="button" variant="caption" onClick={() => setOpen(true)}>
        from {figure.n} {figure.n === 1 ? unit.replace(/s$/, '') : unit}
      </Link>
      {open && (
        <DeploymentsDialog
          title={label}
          deployments={figure.deployments}
          onClose={() => setOpen(false)}
        />
      )}
    </Box>
  );
};
