// What a published plugin package must and must not contain. Pure: each rule
// takes what `npm pack` produced (its file list, the packed package.json and
// the text of the packed JavaScript) and returns the problems it finds.
import { builtinModules } from 'node:module';

/** Paths that are for our own tests and build, never for a user. */
const FORBIDDEN = [
  [/(^|\/)__(testUtils|fixtures|mocks)__\//, 'test utilities or fixtures'],
  [/\.test\.[a-z.]+$/, 'a test file'],
  [/(^|\/)setupTests\.[jt]s$/, 'the Jest setup'],
  [/^src\//, 'TypeScript source (users get dist/)'],
  [/^dist-types\//, 'intermediate type output'],
  [/(^|\/)\.eslintrc/, 'lint configuration'],
  [/^node_modules\//, 'node_modules'],
];

/** Tests, fixtures and source that would ship to users. */
export function forbiddenFiles(files) {
  return files.flatMap(file => {
    const hit = FORBIDDEN.find(([pattern]) => pattern.test(file));
    return hit ? [`${file} is ${hit[1]}`] : [];
  });
}

/** Every path an entry point of the packed package.json names. */
function entryPointTargets(manifest) {
  const targets = [];
  const collect = (value, where) => {
    if (typeof value === 'string') targets.push([where, value]);
    else if (Array.isArray(value)) value.forEach(v => collect(v, where));
    else if (value && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        // The `backstage` condition names the feature type, not a file.
        if (key !== 'backstage') collect(v, `${where}.${key}`);
      }
    }
  };
  for (const field of ['main', 'module', 'types', 'exports', 'typesVersions']) {
    collect(manifest[field], field);
  }
  if (typeof manifest.configSchema === 'string') {
    targets.push(['configSchema', manifest.configSchema]);
  }
  return targets;
}

/** Entry points (main, types, exports, config schema) that name a missing file. */
export function missingEntryPoints(files, manifest) {
  const present = new Set(files);
  const problems = [];
  if (!manifest.main) problems.push('package.json has no main');
  if (!manifest.types) problems.push('package.json has no types');
  for (const [field, target] of entryPointTargets(manifest)) {
    const file = target.replace(/^\.\//, '');
    if (!present.has(file)) {
      problems.push(`${field} names ${target}, which is not in the tarball`);
    } else if (/^src\//.test(file)) {
      problems.push(`${field} still points at source: ${target}`);
    }
  }
  return problems;
}

/** Files a user needs (migrations, config schema, README, changelog) that did not ship. */
export function missingRuntimeFiles(files, required) {
  const present = new Set(files);
  return required
    .filter(file => !present.has(file))
    .map(file => `${file} is needed but is not in the tarball`);
}

/** `from 'x'`, `require('x')`, `import('x')`, `import 'x'` of a package (not a relative path). */
const IMPORT =
  /(?:\bfrom\s+|\brequire\(\s*|\bimport\(\s*|^import\s+)['"]((?:@[\w.-]+\/)?\w[\w.-]*(?:\/[\w./-]*)?)['"]/gm;

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Packages the shipped JavaScript imports without declaring them. */
export function undeclaredImports(sources, manifest) {
  const declared = new Set([
    manifest.name,
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
  ]);
  const builtins = new Set(builtinModules);
  const problems = new Map();
  for (const [file, text] of Object.entries(sources)) {
    for (const [, specifier] of text.matchAll(IMPORT)) {
      const name = packageOf(specifier);
      if (specifier.startsWith('node:') || builtins.has(name)) continue;
      if (!declared.has(name) && !problems.has(name)) {
        problems.set(name, `${file} imports ${name}, not in dependencies`);
      }
    }
  }
  return [...problems.values()];
}

/** Dependencies a user cannot install: workspace-only or private packages. */
export function unpublishableDependencies(manifest, privateNames) {
  return Object.entries({
    ...manifest.dependencies,
    ...manifest.peerDependencies,
  }).flatMap(([name, range]) => {
    if (privateNames.includes(name)) {
      return [`depends on ${name}, a private package of this repository`];
    }
    if (/^(workspace|file|link):/.test(range)) {
      return [`depends on ${name}@${range}, which only resolves here`];
    }
    return [];
  });
}

/** The entry point an app's feature discovery loads, by package role. */
const DISCOVERED = {
  'frontend-plugin': ['./alpha', '@backstage/FrontendPlugin'],
  'backend-plugin': ['.', '@backstage/BackendFeature'],
};

/** Feature metadata (written by `backstage-cli package prepack`) that discovery needs. */
export function missingFeatureMetadata(manifest) {
  const expected = DISCOVERED[manifest.backstage?.role];
  if (!expected) return [];
  const [entry, type] = expected;
  return manifest.backstage?.features?.[entry] === type
    ? []
    : [
        `backstage.features["${entry}"] is not ${type}: an app with feature discovery would not find the plugin`,
      ];
}
