#!/usr/bin/env node
// Runs the TypeScript benchmarks directly through the Backstage CLI's node transform
// (the same loader packages/cluster-sim/bin/cluster-sim.js uses; no build step).
require('@backstage/cli/config/nodeTransform.cjs');
require('./src/main.ts')
  .main(process.argv.slice(2))
  .then(code => process.exit(code ?? 0))
  .catch(error => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
  });
