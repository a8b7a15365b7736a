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

  close() {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async git(...args: string[]) {
    const { stdout } = await git('git', ['--git-dir', this.dir, ...args], {
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  }
}
