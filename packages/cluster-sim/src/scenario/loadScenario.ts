import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseDuration } from '../clock';
import { Scenario } from './Scenario';

// This package always runs from its sources (tests, the CLI), never from a production bundle.
// eslint-disable-next-line no-restricted-syntax
const BUILTIN_DIR = join(__dirname, 'builtins');

export function builtinScenarioNames(): string[] {
  return readdirSync(BUILTIN_DIR)
    .filter(f => f.endsWith('.yaml'))
    .map(f => f.replace(/\.yaml$/, ''));
}

/** Loads a built-in scenario by name (`demo`, ...) or a scenario YAML file by path. */
export function loadScenario(nameOrPath: string): Scenario {
  const builtin = join(BUILTIN_DIR, `${nameOrPath}.yaml`);
  const file = existsSync(builtin) ? builtin : nameOrPath;
  if (!existsSync(file)) {
    throw new Error(
      `Unknown scenario '${nameOrPath}': not a file, nor one of ${builtinScenarioNames().join(
        ', ',
      )}`,
    );
  }
  return parseScenario(readFileSync(file, 'utf8'), file);
}

export function parseScenario(text: string, source = 'scenario'): Scenario {
  const raw = parse(text) ?? {};
  const fail = (msg: string) => {
    throw new Error(`${source}: ${msg}`);
  };
  if (typeof raw !== 'object' || Array.isArray(raw))
    fail('must be a YAML mapping');
  const clusters = raw.clusters ?? [
    { name: 'main', namespaces: raw.namespaces, objects: raw.objects },
  ];
  if (!Array.isArray(clusters) || !clusters.length)
    fail('clusters must be a non-empty list');
  clusters.forEach((c: any, i: number) => {
    if (!c?.name) fail(`clusters[${i}].name is required`);
    (c.objects ?? []).forEach((o: any, j: number) => {
      if (!o?.apiVersion || !o?.kind || !o?.metadata?.name) {
        fail(
          `clusters[${i}].objects[${j}] needs apiVersion, kind and metadata.name`,
        );
      }
    });
  });
  const names = clusters.map((c: any) => c.name);
  const timeline = raw.timeline ?? [];
  timeline.forEach((s: any, i: number) => {
    const actions = ['release', 'fault', 'apply', 'delete'].filter(k => s?.[k]);
    if (actions.length !== 1)
      fail(`timeline[${i}] needs exactly one of release, fault, apply, delete`);
    if (s.at === undefined && s.every === undefined)
      fail(`timeline[${i}] needs 'at' or 'every'`);
    for (const k of ['at', 'every']) {
      if (s[k] !== undefined) {
        try {
          parseDuration(String(s[k]));
        } catch (e) {
          fail(`timeline[${i}].${k}: ${(e as Error).message}`);
        }
      }
    }
    if (s.cluster && !names.includes(s.cluster))
      fail(`timeline[${i}].cluster '${s.cluster}' is not a cluster`);
  });
  return { ...raw, name: raw.name ?? source, clusters, timeline };
}
