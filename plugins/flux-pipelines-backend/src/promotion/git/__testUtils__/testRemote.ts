import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A repository in a temp dir, seeded with one commit on `main`, for tests with real git. */
export interface TestRemote {
  /** The repository's path. */
  path: string;
  /** Its file:// URL. */
  url: string;
  /** Runs git in the repository. */
  git(...args: string[]): string;
  /** A file's content on a branch of the remote. */
  show(branch: string, file: string): string;
  /** Commits files to `branch` of the remote from a separate clone, as another user would. */
  commit(
    branch: string,
    files: Record<string, string>,
    message: string,
  ): string;
  cleanup(): void;
}

const ENV = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !key.startsWith('GIT_')),
);

function git(cwd: string, ...args: string[]) {
  return execFileSync(
    'git',
    ['-c', 'user.name=Seed', '-c', 'user.email=seed@example.com', ...args],
    { cwd, encoding: 'utf8', env: ENV },
  ).trim();
}

/**
 * Creates a bare repository with `files` on `main`; with `workTree`, a
 * repository with a working tree (checked out at `main`) that takes pushes to
 * it, as the cluster-sim GitHub stand-in serves.
 */
export function createTestRemote(
  files: Record<string, string>,
  options: { workTree?: boolean } = {},
): TestRemote {
  const root = mkdtempSync(join(tmpdir(), 'flux-pipelines-remote-'));
  const path = join(root, options.workTree ? 'fleet' : 'fleet.git');
  if (options.workTree) {
    git(root, 'init', '--quiet', '--initial-branch', 'main', path);
    git(path, 'config', 'receive.denyCurrentBranch', 'updateInstead');
  } else {
    git(root, 'init', '--quiet', '--bare', '--initial-branch', 'main', path);
  }
  const remote: TestRemote = {
    path,
    url: pathToFileURL(path).href,
    git: (...args) => git(path, ...args),
    show: (branch, file) => git(path, 'show', `${branch}:${file}`),
    commit: (branch, changes, message) => {
      const work = mkdtempSync(join(root, 'work-'));
      git(work, 'init', '--quiet', '--initial-branch', branch);
      git(work, 'remote', 'add', 'origin', path);
      if (git(path, 'branch', '--list', branch) !== '') {
        git(work, 'fetch', '--quiet', 'origin', branch);
        git(work, 'reset', '--quiet', '--hard', 'FETCH_HEAD');
      }
      for (const [file, text] of Object.entries(changes)) {
        mkdirSync(dirname(join(work, file)), { recursive: true });
        writeFileSync(join(work, file), text);
      }
      git(work, 'add', '--all');
      git(work, 'commit', '--quiet', '-m', message);
      git(work, 'push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`);
      const sha = git(work, 'rev-parse', 'HEAD');
      rmSync(work, { recursive: true, force: true });
      return sha;
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
  remote.commit('main', files, 'Seed');
  return remote;
}
