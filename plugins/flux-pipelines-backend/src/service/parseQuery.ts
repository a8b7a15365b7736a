import { InputError } from '@backstage/errors';
import {
  DeploymentStatus,
  EXECUTION_STATUSES,
  ExecutionStatus,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { z } from 'zod';

/** `GET /pipelines`. */
export const listQuery = z.object({ entityRef: z.string().min(1).optional() });

const DEPLOYMENT_STATUSES: [DeploymentStatus, ...DeploymentStatus[]] = [
  'progressing',
  'succeeded',
  'failed',
  'rolled-back',
  'superseded',
  'unknown',
];
const isoTime = z.string().datetime({ offset: true }).pipe(z.coerce.date());

/**
 * `GET /pipelines/:namespace/:name/executions`: paged, newest first; with
 * `environment`, `deploymentStatus` (comma-separated) and `from`/`to`, only
 * the versions with such deployments there (an insights figure's).
 */
export const executionsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
  status: z
    .enum(EXECUTION_STATUSES as [ExecutionStatus, ...ExecutionStatus[]])
    .optional(),
  environment: z.string().min(1).optional(),
  deploymentStatus: z
    .string()
    .transform(s => s.split(','))
    .pipe(z.array(z.enum(DEPLOYMENT_STATUSES)))
    .optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
});

/** `GET /pipelines/:namespace/:name/environments/:env/events`. */
export const eventsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** Parses a request's query string, or throws an InputError saying what is wrong. */
export function parseQuery<T extends z.ZodTypeAny>(
  schema: T,
  query: unknown,
  what: 'query' | 'request body' = 'query',
): z.infer<T> {
  const parsed = schema.safeParse(query);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map(issue => `${issue.path.join('.') || what}: ${issue.message}`)
      .join('; ');
    throw new InputError(`Invalid ${what}: ${problems}`);
  }
  return parsed.data;
}
