import { formatExact, formatRelative } from './formatTime';

/** "5 minutes ago", with the exact time on hover (and for screen readers via `dateTime`). */
export const Timestamp = ({
  iso,
  prefix,
}: {
  iso: string;
  /** e.g. "deployed": "deployed 5 minutes ago". */
  prefix?: string;
}) => (
  <time dateTime={iso} title={formatExact(iso)}>
    {prefix ? `${prefix} ` : ''}
    {formatRelative(iso)}
  </time>
);
