import { execFile } from 'node:child_process';
import type { GitAuth } from './repositoryAccess';
import { isLoopbackHost } from './repositoryKey';

/** What one git command printed. */
export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A git command that failed; its output has every secret redacted. */
export class GitCommandError extends Error {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;

  constructor(command: string, result: GitResult) {
    super(
      `git ${command} failed (exit ${result.code}): ${
        result.stderr.trim() || result.stdout.trim()
      }`,
    );
    this.name = 'GitCommandError';
    this.code = result.code;
    this.stdout = result.stdout;
    this.stderr = result.stderr;
  }
}

/**
 * The environment of every git command: nothing inherited from an outer git
 * (GIT_DIR of a hook, GIT_TRACE…), no prompts, no credential helpers, and the
 * credentials as an `http.<origin>/.extraHeader` that only the repository's
 * origin receives — never in a URL, the argument list or a log line.
 */
export function gitEnvironment(options: {
  url: string;
  auth?: GitAuth;
  hooksPath: string;
}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('GIT_')) env[key] = value;
  }
  const config: Array<[string, string]> = [
    ['credential.helper', ''],
    ['core.hooksPath', options.hooksPath],
    ['commit.gpgSign', 'false'],
    ['core.autocrlf', 'false'],
  ];
  // Callers refuse plain http first (assertCredentialTransport); as a last
  // line, a credential never goes over http to another machine.
  const remote = /^https?:\/\//.test(options.url)
    ? new URL(options.url)
    : undefined;
  if (
    options.auth &&
    remote &&
    (remote.protocol === 'https:' || isLoopbackHost(remote.hostname))
  ) {
    const origin = remote.origin;
    config.push([
      `http.${origin}/.extraHeader`,
      authorizationHeader(options.auth),
    ]);
  }
  config.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  env.GIT_CONFIG_COUNT = String(config.length);
  env.GIT_TERMINAL_PROMPT = '0';
  env.GIT_ALLOW_PROTOCOL = 'file:http:https';
  env.GIT_CONFIG_NOSYSTEM = '1';
  return env;
}

function authorizationHeader(auth: GitAuth) {
  if (auth.bearer) return `Authorization: Bearer ${auth.password}`;
  const basic = Buffer.from(`${auth.username}:${auth.password}`).toString(
    'base64',
  );
  return `Authorization: Basic ${basic}`;
}

/** The strings that must never leave this process for `auth`. */
export function secretsOf(auth?: GitAuth): string[] {
  if (!auth?.password) return [];
  return [
    auth.password,
    encodeURIComponent(auth.password),
    Buffer.from(`${auth.username}:${auth.password}`).toString('base64'),
  ];
}

/** `text` with every secret replaced by `***`. */
export function redact(text: string, secrets: string[]): string {
  return secrets
    .filter(s => s.length > 0)
    .reduce((result, secret) => result.split(secret).join('***'), text);
}

/** Runs `git args` without a shell; resolves with its output whatever the exit code. */
export function runGit(
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; secrets: string[] },
): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        cwd: options.cwd,
        env: options.env,
        maxBuffer: 64 * 1024 * 1024,
        timeout: 5 * 60 * 1000,
      },
      (error, stdout, stderr) => {
        const code =
          typeof (error as { code?: unknown } | null)?.code === 'number'
            ? ((error as { code: number }).code as number)
            : 0;
        if (error && code === 0) {
          // Not an exit code: git missing, killed by the timeout, …
          reject(
            new Error(
              redact(`git ${args[0]}: ${error.message}`, options.secrets),
            ),
          );
          return;
        }
        resolve({
          code,
          stdout: redact(String(stdout), options.secrets),
          stderr: redact(String(stderr), options.secrets),
        });
      },
    );
  });
}
