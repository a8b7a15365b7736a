#!/usr/bin/env node
// Runs the TypeScript sources directly through the Backstage CLI's node transform (no build step).
require('@backstage/cli/config/nodeTransform.cjs');
require('../src/cli/main.ts')
  .main(process.argv.slice(2))
  .catch(error => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
