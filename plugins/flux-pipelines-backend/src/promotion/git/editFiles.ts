import { InputError } from '@backstage/errors';
import {
  GitFileSelector,
  PromotionFileDiff,
} from '@flux-pipelines/plugin-flux-pipelines-common';
import { createTwoFilesPatch } from 'diff';
import { lstat, readFile, realpath, writeFile } from 'node:fs/promises';
import { isAbsolute, join, normalize, sep } from 'node:path';
import { PromotionEdit, setField, setMarkedVersions } from './editPromotion';

/** What to set where, for {@link GitRepository.editPromotion}. */
export interface PromotionEditRequest {
  /** `<pipelineNamespace>:<pipelineName>:<environment>`. */
  marker: string;
  version: string;
  selector: GitFileSelector;
}

/**
 * Edits `files` (relative to `dir`) for a promotion and returns the diffs of
 * those that changed. Throws an InputError when nothing is marked or found.
 */
export async function editFiles(
  dir: string,
  files: string[],
  request: PromotionEditRequest,
  repositoryName: string,
): Promise<PromotionFileDiff[]> {
  const { marker, version, selector } = request;
  if (selector.field && !selector.path) {
    throw new InputError(
      `The promotion field ${selector.field} needs a path to a file`,
    );
  }
  const root = await realpath(dir);
  const diffs: PromotionFileDiff[] = [];
  let found = 0;
  for (const file of files) {
    const path = await resolveInside(root, file, Boolean(selector.path));
    if (!path) continue;
    const before = await readFile(path, 'utf8');
    if (!selector.field && !before.includes('$promotion')) continue;
    let edit: PromotionEdit;
    try {
      edit = selector.field
        ? setField(before, selector.field, version)
        : setMarkedVersions(before, marker, version);
    } catch (error) {
      if (error instanceof InputError) {
        throw new InputError(`${file} in ${repositoryName}: ${error.message}`);
      }
      throw error;
    }
    found += edit.found;
    if (edit.changed === 0) continue;
    await writeFile(path, edit.text, 'utf8');
    diffs.push({ path: file, diff: unifiedDiff(file, before, edit.text) });
  }
  if (found === 0) {
    const where = selector.path
      ? `${selector.path} in ${repositoryName}`
      : `any YAML file of ${repositoryName}`;
    throw new InputError(
      `No value is marked with # {"$promotion": "${marker}"} in ${where}`,
    );
  }
  return diffs;
}

function unifiedDiff(file: string, before: string, after: string): string {
  return createTwoFilesPatch(`a/${file}`, `b/${file}`, before, after).replace(
    /^=+\n/,
    '',
  );
}

/**
 * The absolute path of `file` when it is a regular file inside `root`. A path
 * given by a Pipeline must not leave the repository (`..`, absolute paths,
 * symbolic links) nor touch `.git`.
 */
async function resolveInside(
  root: string,
  file: string,
  required: boolean,
): Promise<string | undefined> {
  const relative = normalize(file);
  if (
    isAbsolute(file) ||
    relative.startsWith('..') ||
    relative.split(sep).includes('.git')
  ) {
    throw new InputError(`Promotion path ${file} is outside the repository`);
  }
  const path = join(root, relative);
  const stat = await lstat(path).catch(() => undefined);
  if (!stat?.isFile()) {
    if (required) {
      throw new InputError(
        `Promotion path ${file} is not a file in the repository`,
      );
    }
    return undefined; // symbolic links and the like are never followed
  }
  const real = await realpath(path);
  if (!real.startsWith(`${root}${sep}`)) {
    throw new InputError(`Promotion path ${file} is outside the repository`);
  }
  return real;
}
