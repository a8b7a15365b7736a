import {
  PipelineExecution,
  TargetDeployment,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import Box from '@material-ui/core/Box';
import Link from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';

/** A revision shortened for a card: a commit's first 7 hex digits, a digest's first 12. */
export function shortRevision(revision: string): string {
  const sha = /(?:sha1:|\/|^)([0-9a-f]{40})$/.exec(revision);
  if (sha) return sha[1].slice(0, 7);
  const digest =
    /sha256:([0-9a-f]{64})$/.exec(revision) ??
    /^([0-9a-f]{64})$/.exec(revision);
  return digest ? `sha256:${digest[1].slice(0, 12)}` : revision.slice(0, 20);
}

/** Only web links are followed (the server builds them; this guards the page too). */
function safeLink(url: string | undefined): string | undefined {
  return url && /^https?:\/\//i.test(url) ? url : undefined;
}

/**
 * Where a deployment's change came from, in one line: the short commit (a
 * link when the repository is known) and who made it. Nothing when unknown.
 */
export const ChangeSource = ({
  deployment,
}: {
  deployment?: TargetDeployment;
}) => {
  if (!deployment?.sourceRevision && !deployment?.changedBy) return null;
  const { sourceRevision, changedBy } = deployment;
  const link = safeLink(deployment.commitUrl);
  const short = sourceRevision && shortRevision(sourceRevision);
  return (
    <Typography variant="body2" color="textSecondary" component="span">
      {short &&
        (link ? (
          <Link
            href={link}
            target="_blank"
            rel="noopener noreferrer"
            title={sourceRevision}
          >
            {short}
          </Link>
        ) : (
          <span title={sourceRevision}>{short}</span>
        ))}
      {changedBy && `${short ? ' ' : ''}by ${changedBy.name}`}
    </Typography>
  );
};

/** Per environment of an execution, where its change came from (the first target's). */
export const ExecutionChangeSources = ({
  execution,
}: {
  execution: PipelineExecution;
}) => (
  <Box display="flex" flexDirection="column">
    {execution.environments
      .filter(
        e => e.deployments[0]?.sourceRevision || e.deployments[0]?.changedBy,
      )
      .map(e => (
        <Box key={e.name}>
          <Typography variant="caption">{e.name}: </Typography>
          <ChangeSource deployment={e.deployments[0]} />
        </Box>
      ))}
  </Box>
);
