import { PromotionPreview } from '@flux-pipelines/plugin-flux-pipelines-common';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(theme => ({
  diff: {
    fontFamily: 'monospace',
    fontSize: theme.typography.caption.fontSize,
    whiteSpace: 'pre',
    overflow: 'auto',
    maxHeight: 320,
    margin: 0,
    padding: theme.spacing(1),
    color: theme.palette.text.primary,
    backgroundColor: theme.palette.background.default,
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
  },
  added: { color: theme.palette.success.main },
  removed: { color: theme.palette.error.main },
  hunk: { color: theme.palette.info.main },
}));

const STRATEGY: Record<PromotionPreview['strategy'], string> = {
  'pull-request': 'a pull request against the GitOps repository',
  commit: 'a commit to the GitOps repository',
  notification: 'a promotion notification',
};

/** A unified diff, in monospace, with added and removed lines coloured from the theme. */
const Diff = ({ diff }: { diff: string }) => {
  const classes = useStyles();
  return (
    <pre className={classes.diff}>
      {diff.split('\n').map((line, index) => {
        let className: string | undefined;
        if (line.startsWith('@@')) className = classes.hunk;
        else if (line.startsWith('+') && !line.startsWith('+++'))
          className = classes.added;
        else if (line.startsWith('-') && !line.startsWith('---'))
          className = classes.removed;
        return (
          <span key={index} className={className}>
            {line}
            {'\n'}
          </span>
        );
      })}
    </pre>
  );
};

/** What a promotion would do: strategy, versions before and after, file changes. */
export const PromotionPreviewView = ({
  preview,
}: {
  preview: PromotionPreview;
}) => {
  const digestChanged =
    preview.from?.digest !== undefined &&
    preview.to.digest !== undefined &&
    preview.from.digest !== preview.to.digest;
  return (
    <>
      <Typography variant="body2" paragraph>
        Promotes through {STRATEGY[preview.strategy]}
        {preview.fromEnvironment &&
          `, from ${preview.fromEnvironment} to ${preview.environment}`}
        .
        {preview.manual &&
          ` Promotion into ${preview.environment} waits for approval after you confirm.`}
      </Typography>
      <Table size="small" aria-label="Version change">
        <TableHead>
          <TableRow>
            <TableCell />
            <TableCell>Now</TableCell>
            <TableCell>After</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          <TableRow>
            <TableCell component="th" scope="row">
              Version
            </TableCell>
            <TableCell>{preview.from?.version ?? 'none'}</TableCell>
            <TableCell>{preview.to.version}</TableCell>
          </TableRow>
          <TableRow>
            <TableCell component="th" scope="row">
              App version
            </TableCell>
            <TableCell>{preview.from?.appVersion ?? '—'}</TableCell>
            <TableCell>{preview.to.appVersion ?? '—'}</TableCell>
          </TableRow>
          <TableRow>
            <TableCell component="th" scope="row">
              Digest{digestChanged ? ' (changes)' : ''}
            </TableCell>
            <TableCell>
              <code>{preview.from?.digest ?? '—'}</code>
            </TableCell>
            <TableCell>
              <code>{preview.to.digest ?? '—'}</code>
            </TableCell>
          </TableRow>
        </TableBody>
      </Table>
      {preview.files?.map(file => (
        <Box key={file.path} mt={2}>
          <Typography variant="subtitle2" component="h4">
            {file.path}
          </Typography>
          <Diff diff={file.diff} />
        </Box>
      ))}
    </>
  );
};
