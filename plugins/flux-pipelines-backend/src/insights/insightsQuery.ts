import { parseEntityRef } from '@backstage/catalog-model';
import { z } from 'zod';
import { parseQuery } from '../service/parseQuery';

const DAY_MS = 86_400_000;
/** The period when none is asked for. */
export const DEFAULT_DAYS = 30;
/** The longest period one request may ask for. */
export const MAX_DAYS = 366;

/** `YYYY-MM-DD` or a full ISO 8601 time. */
const isoTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/, {
    message: 'must be an ISO 8601 date or time',
  })
  .refine(s => !Number.isNaN(Date.parse(s)), {
    message: 'must be a valid date',
  });

/** An entity reference the catalog can read (`kind:namespace/name`, kind and namespace defaulted). */
const entityRef = (defaultKind?: string) =>
  z
    .string()
    .min(1)
    .refine(
      s => {
        try {
          parseEntityRef(s, { defaultKind, defaultNamespace: 'default' });
          return true;
        } catch {
          return false;
        }
      },
      { message: 'must be an entity reference like kind:namespace/name' },
    );

/** What the figures are of: one entity, an owner's entities or a system's. */
const SCOPES = ['entityRef', 'owner', 'system'] as const;

const schema = z
  .object({
    entityRef: entityRef().optional(),
    owner: entityRef('group').optional(),
    system: entityRef('system').optional(),
    from: isoTime.optional(),
    to: isoTime.optional(),
    environment: z.string().min(1).optional(),
    tz: z
      .string()
      .refine(isTimeZone, { message: 'must be an IANA time zone' })
      .optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    const given = SCOPES.filter(k => q[k] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: [given[1] ?? 'entityRef'],
        message: 'give exactly one of entityRef, owner or system',
      });
    }
  });

/** What `GET /insights` asks for, with the period resolved. */
export interface InsightsQuery {
  scope: { entityRef?: string; owner?: string; system?: string };
  from: Date;
  to: Date;
  environment?: string;
  /** The IANA time zone days are counted in. */
  timeZone: string;
}

/** Whether Intl knows the IANA time zone `tz`. */
function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz }).format(0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Parses `GET /insights`' query string: exactly one of entityRef, owner or
 * system; the period `from`–`to` (default the {@link DEFAULT_DAYS} days up to
 * now, at most {@link MAX_DAYS} days); `tz`, the IANA time zone the days
 * of the charts are in (default UTC). Throws an InputError naming the
 * parameter that is wrong.
 */
export function parseInsightsQuery(
  query: unknown,
  now = new Date(),
): InsightsQuery {
  const q = parseQuery(schema, query);
  const to = q.to ? new Date(q.to) : now;
  const from = q.from
    ? new Date(q.from)
    : new Date(to.getTime() - DEFAULT_DAYS * DAY_MS);
  const period = z.object({
    from: z
      .date()
      .max(new Date(to.getTime() - 1), { message: 'must be before to' }),
    to: z.date().max(new Date(from.getTime() + MAX_DAYS * DAY_MS), {
      message: `must be at most ${MAX_DAYS} days after from`,
    }),
  });
  parseQuery(period, { from, to });
  // Exactly one is set (checked above).
  const scope = Object.fromEntries(
    SCOPES.filter(k => q[k] !== undefined).map(k => [k, q[k]]),
  );
  return {
    scope,
    from,
    to,
    environment: q.environment,
    timeZone: q.tz ?? 'UTC',
  };
}
