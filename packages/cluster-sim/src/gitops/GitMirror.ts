import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const git = promisify(execFile);

/** A private mirror of a git repository (a path or file:// URL) that reads files at a fetched commit. */
export class GitMirror {
  private readonly dir = mkdtempSync(join(tmpdir(), 'cluster-sim-git-'));
  private initialised = false;
  /** Aborts the git commands still running when the mirror closes. */
  private readonly running = new AbortController();

  constructor(private readonly url: string, private readonly branch: string) {}

  /** Fetches the branch and returns its commit sha. */
  async fetch(): Promise<string> {
    if (!this.initialised) {
      await this.git('init', '--quiet', '--bare');
      this.initialised = true;
    }
    await this.git(
      'fetch',
      '--quiet',
      '--force',
      this.url,
      `+refs/heads/${this.branch}:refs/heads/${this.branch}`,
    );
    return (await this.git('rev-parse', `refs/heads/${this.branch}`)).trim();
  }

  /** Paths of the YAML files under `path` at `sha`. */
  async yamlFiles(sha: string, path: string): Promise<string[]> {
    const clean = path.replace(/^\.\//, '').replace(/\/$/, '');
    const out = await this.git(
      'ls-tree',
      '-r',
      '--name-only',
      sha,
      '--',
      clean || '.',
    );
    return out.split('\n').filter(f => /\.ya?ml$/.test(f));
  }

  async read(sha: string, file: string): Promise<string> {
    return this.git('show', `${sha}:${file}`);
  }

  /**
   * Stops the git commands still running (a fetch may be writing into the
   * mirror) and removes it; retried, since a killed git may still be
   * finishing a write when the removal starts.
   */
  close() {
    this.running.abort();
    rmSync(this.dir, {
      recursive: true,
      force: true,
      maxRetries: 10,
      retryDelay: 50,
    });
  }

  private async git(...args: string[]) {
    if (this.running.signal.aborted) {
      throw new Error('The git mirror is closed');
    }
    const { stdout } = await git('git', ['--git-dir', this.dir, ...args], {
      maxBuffer: 16 * 1024 * 1024,
      signal: this.running.signal,
    });
    return stdout;
  }
}
