// node --test scripts/lib/packRules.test.mjs (run by `npm run check:pack`)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  forbiddenFiles,
  missingEntryPoints,
  missingFeatureMetadata,
  missingRuntimeFiles,
  undeclaredImports,
  unpublishableDependencies,
} from './packRules.mjs';

const packed = {
  name: '@flux-pipelines/plugin-flux-pipelines',
  main: './dist/index.esm.js',
  types: './dist/index.d.ts',
  exports: {
    '.': { import: './dist/index.esm.js', types: './dist/index.d.ts' },
    './alpha': {
      backstage: '@backstage/FrontendPlugin',
      import: './dist/alpha.esm.js',
      types: './dist/alpha.d.ts',
    },
    './package.json': './package.json',
  },
  backstage: {
    role: 'frontend-plugin',
    features: { './alpha': '@backstage/FrontendPlugin' },
  },
  dependencies: { react: '^18.0.0' },
};
const files = [
  'package.json',
  'dist/index.esm.js',
  'dist/index.d.ts',
  'dist/alpha.esm.js',
  'dist/alpha.d.ts',
];

test('a complete package has no problems', () => {
  assert.deepEqual(forbiddenFiles(files), []);
  assert.deepEqual(missingEntryPoints(files, packed), []);
  assert.deepEqual(missingFeatureMetadata(packed), []);
});

test('tests, fixtures, test utilities and source are refused', () => {
  const shipped = [
    'src/index.ts',
    'dist/__testUtils__/fixtures.esm.js',
    'dist/ingest/__fixtures__/one.cjs.js',
    'dist/plugin.test.cjs.js',
  ];
  assert.equal(forbiddenFiles(shipped).length, shipped.length);
});

test('an entry point whose file did not ship is named', () => {
  const problems = missingEntryPoints(
    files.filter(f => f !== 'dist/alpha.esm.js'),
    packed,
  );
  assert.deepEqual(problems, [
    'exports../alpha.import names ./dist/alpha.esm.js, which is not in the tarball',
  ]);
});

test('an unbuilt package (entry points still in src/) is refused', () => {
  const unbuilt = { ...packed, main: 'src/index.ts', exports: undefined };
  assert.match(
    missingEntryPoints(['package.json', 'src/index.ts'], unbuilt)[0],
    /src\/index\.ts/,
  );
});

test('a migration missing from the tarball is named', () => {
  assert.deepEqual(
    missingRuntimeFiles(
      ['migrations/1_a.js'],
      ['migrations/1_a.js', 'migrations/2_b.js'],
    ),
    ['migrations/2_b.js is needed but is not in the tarball'],
  );
});

test('imports of undeclared packages are found; builtins and relative imports are not', () => {
  const sources = {
    'dist/a.esm.js':
      "import { x } from 'react';\nimport y from 'recharts/lib/x';\nimport './b.esm.js';",
    'dist/b.cjs.js':
      "var fs = require('node:fs');\nvar p = require('path');\nvar s = `from ${a}`;",
  };
  assert.deepEqual(undeclaredImports(sources, packed), [
    'dist/a.esm.js imports recharts, not in dependencies',
  ]);
});

test('private and workspace-only dependencies are refused', () => {
  const manifest = {
    dependencies: {
      '@internal/cluster-sim': '0.0.0',
      x: 'workspace:*',
      y: '^1.0.0',
    },
  };
  assert.equal(
    unpublishableDependencies(manifest, ['@internal/cluster-sim']).length,
    2,
  );
});

test('a frontend plugin without discovery metadata is named', () => {
  const manifest = { ...packed, backstage: { role: 'frontend-plugin' } };
  assert.equal(missingFeatureMetadata(manifest).length, 1);
});
