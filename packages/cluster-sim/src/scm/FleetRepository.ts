import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The outcome of merging one branch into another. */
export type MergeResult =
  | { merged: true; sha: string }
  | { merged: false; reason: string };

/** What the GitHub stand-in needs from the repository behind it. */
export interface PullRepository {
  /** Every branch and the commit it points at. */
  branches(): Map<string, string>;
  /** Commits on `head` that `base` does not have. */
  commitsAhead(base: string, head: string): number;
  /** Whether `head` merges into `base` without conflicts; undefined when unknown. */
  mergeable(base: string, head: string): boolean | undefined;
  /** Merges `head` into `base` with a merge commit, or reports why it could not. */
  merge(base: string, head: string, message: string[]): MergeResult;
  /** Where state kept next to the repository goes (in its git directory). */
  stateFile(name: string): string;
}

const AUTHOR = [
  '-c',
  'user.name=cluster-sim',
  '-c',
  'user.email=cluster-sim@localhost',
];

/** Git's environment without variables a hook or test runner may have set (GIT_DIR...). */
const ENV = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !key.startsWith('GIT_')),
);

/**
 * The local fleet repository as the GitHub stand-in sees it: branches read
 * with `git for-each-ref`, merges made with `git merge --no-ff`. A merge into
 * the checked-out branch of a working tree happens in that tree (so it stays
 * clean for pushes with `receive.denyCurrentBranch updateInstead`); a merge
 * into any other branch in a throwaway worktree. Git runs synchronously, so a
 * merge never interleaves with the sim's own commits.
 */
export class GitFleetRepository implements PullRepository {
  constructor(private readonly path: string) {}

  branches(): Map<string, string> {
    const out = this.git(
      this.path,
      'for-each-ref',
      '--format=%(objectname) %(refname)',
      'refs/heads/',
    );
    const branches = new Map<string, string>();
    for (const line of out.split('\n')) {
      const m = /^([0-9a-f]+) refs\/heads\/(.+)$/.exec(line.trim());
      if (m) branches.set(m[2], m[1]);
    }
    return branches;
  }

  commitsAhead(base: string, head: string): number {
    return Number(
      this.git(
        this.path,
        'rev-list',
        '--count',
        `refs/heads/${base}..refs/heads/${head}`,
      ).trim(),
    );
  }

  mergeable(base: string, head: string): boolean | undefined {
    try {
      this.git(
        this.path,
        'merge-tree',
        '--write-tree',
        '--no-messages',
        `refs/heads/${base}`,
        `refs/heads/${head}`,
      );
      return true;
    } catch (error) {
      // Exit status 1 means conflicts; anything else (an old git) means unknown.
      return (error as { status?: number }).status === 1 ? false : undefined;
    }
  }

  merge(base: string, head: string, message: string[]): MergeResult {
    const inPlace = this.checkedOutBranch() === base;
    const dir = inPlace
      ? this.path
      : mkdtempSync(join(tmpdir(), 'cluster-sim-merge-'));
    try {
      if (!inPlace) {
        this.git(this.path, 'worktree', 'add', '--quiet', dir, base);
      }
      try {
        this.git(
          dir,
          ...AUTHOR,
          'merge',
          '--no-ff',
          '--quiet',
          ...message.flatMap(m => ['-m', m]),
          `refs/heads/${head}`,
        );
      } catch (error) {
        try {
          this.git(dir, 'merge', '--abort');
        } catch {
          // Nothing to abort: the merge did not start (e.g. a dirty tree).
        }
        const e = error as { stderr?: unknown; stdout?: unknown };
        return {
          merged: false,
          reason: `${String(e.stdout ?? '')}${String(e.stderr ?? '')}`.trim(),
        };
      }
      return { merged: true, sha: this.git(dir, 'rev-parse', 'HEAD').trim() };
    } finally {
      if (!inPlace) {
        try {
          this.git(this.path, 'worktree', 'remove', '--force', dir);
        } catch {
          rmSync(dir, { recursive: true, force: true });
          this.git(this.path, 'worktree', 'prune');
        }
      }
    }
  }

  stateFile(name: string): string {
    const gitDir = this.git(
      this.path,
      'rev-parse',
      '--absolute-git-dir',
    ).trim();
    return join(gitDir, 'cluster-sim', name);
  }

  /** The branch checked out in the working tree; undefined for a bare repository. */
  private checkedOutBranch(): string | undefined {
    if (
      this.git(this.path, 'rev-parse', '--is-bare-repository').trim() === 'true'
    )
      return undefined;
    try {
      return this.git(
        this.path,
        'symbolic-ref',
        '--quiet',
        '--short',
        'HEAD',
      ).trim();
    } catch {
      return undefined;
    }
  }

  private git(cwd: string, ...args: string[]): string {
    return execFileSync('git', args, {
      cwd,
      env: ENV,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 16 * 1024 * 1024,
    });
  }
}
