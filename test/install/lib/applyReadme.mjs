// Applies the README's install section to the stock app, block by block, the
// way a reader would: shell blocks are run in the app's root, TypeScript
// blocks are added to the file they name (before `backend.start()` when the
// file has it), YAML blocks are merged into the config file they name. A
// `catalog-info.yaml` block is what the reader puts on their own entity, so it
// is returned for the test's entity. Any other block fails the test: the
// README would say something the test does not check.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { runInApp } from './steps.mjs';

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Deep merge of config: objects merge, anything else is replaced. */
export function mergeConfig(base, add) {
  if (!isObject(base) || !isObject(add)) return add;
  const out = { ...base };
  for (const [key, value] of Object.entries(add)) {
    out[key] = key in base ? mergeConfig(base[key], value) : value;
  }
  return out;
}

function where(block) {
  return `README block at line ${block.line} (${block.lang}${
    block.title ? ` title="${block.title}"` : ''
  })`;
}

function addLines(file, block) {
  if (!existsSync(file))
    throw new Error(`${where(block)}: no ${block.title} in the stock app`);
  const source = readFileSync(file, 'utf8');
  const anchor = source.lastIndexOf('backend.start()');
  const at = anchor < 0 ? source.length : source.lastIndexOf('\n', anchor) + 1;
  writeFileSync(
    file,
    `${source.slice(0, at)}${block.body}\n${source.slice(at)}`,
  );
}

function mergeYaml(file, block) {
  if (!existsSync(file))
    throw new Error(`${where(block)}: no ${block.title} in the stock app`);
  const merged = mergeConfig(
    parse(readFileSync(file, 'utf8')),
    parse(block.body),
  );
  writeFileSync(file, stringify(merged));
}

/**
 * Runs the blocks in order in `appDir`. `env` is added to the shell's
 * environment (npm's cache, the registry stand-in's settings).
 */
export async function applyReadme({ appDir, blocks, env = {} }) {
  let entityPatch;
  for (const block of blocks) {
    console.log(`--- applying ${where(block)}`);
    if (['sh', 'bash', 'shell'].includes(block.lang)) {
      await runInApp(
        'bash',
        ['-euo', 'pipefail', '-c', block.body],
        appDir,
        env,
      );
    } else if (block.title === 'catalog-info.yaml') {
      entityPatch = parse(block.body);
    } else if (['ts', 'tsx'].includes(block.lang) && block.title) {
      addLines(join(appDir, block.title), block);
    } else if (['yaml', 'yml'].includes(block.lang) && block.title) {
      mergeYaml(join(appDir, block.title), block);
    } else {
      throw new Error(
        `${where(block)}: the install test does not know what to do with it`,
      );
    }
  }
  if (!entityPatch) {
    throw new Error(
      'The README does not show how to annotate an entity (a catalog-info.yaml block)',
    );
  }
  return { entityPatch };
}
