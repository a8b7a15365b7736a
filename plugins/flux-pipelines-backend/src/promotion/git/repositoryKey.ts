import { pathToFileURL } from 'node:url';
import { localPath } from './repositoryAccess';

/**
 * The form in which two URLs of one repository compare equal: the scheme and
 * host in lower case, default ports dropped, dot segments resolved, no user
 * info, no trailing slashes and no trailing `.git`; `git@host:org/repo` reads
 * as `ssh://host/org/repo`, and local paths as absolute `file://` URLs. So
 * `https://Host/org/fleet` and `https://host/org/fleet.git/` are one key,
 * and `https://host/org/fleet-evil` another. Undefined for anything else
 * (other schemes, http(s) URLs with credentials in them).
 */
export function repositoryKey(url: string): string | undefined {
  const trimmed = url.trim();
  const scp = /^[\w.-]+@([^:/@\s]+):(?!\/)(.+)$/.exec(trimmed);
  const path = scp ? undefined : localPath(trimmed);
  if (path !== undefined) return pathToFileURL(path).href.replace(/\/+$/, '');
  let parsed: URL;
  try {
    parsed = new URL(scp ? `ssh://${scp[1]}/${scp[2]}` : trimmed);
  } catch {
    return undefined;
  }
  if (!['https:', 'http:', 'ssh:'].includes(parsed.protocol)) return undefined;
  if (parsed.protocol !== 'ssh:' && (parsed.username || parsed.password)) {
    return undefined;
  }
  if (!parsed.hostname || parsed.search || parsed.hash) return undefined;
  const pathname = parsed.pathname
    .replace(/\/{2,}/g, '/')
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .replace(/\/+$/, '');
  if (!pathname) return undefined;
  return `${parsed.protocol}//${parsed.host.toLowerCase()}${pathname}`;
}

/** Whether `hostname` (as `URL.hostname` gives it) is this machine: 127.0.0.0/8, ::1 or localhost. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host === '::1') return true;
  return /^127(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(host);
}
