import { ApiError } from './ApiError';
import { KubeObject } from './types';

export type Selector = (obj: KubeObject) => boolean;

const matchAll: Selector = () => true;

/** Parses a label selector (`a=b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`). */
export function parseLabelSelector(text: string | null | undefined): Selector {
  if (!text) return matchAll;
  const terms = splitTerms(text).map(term => {
    let m = term.match(/^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/);
    if (m) {
      const [, k, op, list] = m;
      const values = list.split(',').map(v => v.trim());
      return (l: Record<string, string>) =>
        op === 'in'
          ? k in l && values.includes(l[k])
          : !(k in l) || !values.includes(l[k]);
    }
    m = term.match(/^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$/);
    if (m) {
      const [, k, op, v] = m;
      return (l: Record<string, string>) =>
        op === '!=' ? l[k] !== v : l[k] === v;
    }
    m = term.match(/^(!?)([\w./-]+)$/);
    if (m) {
      const [, not, k] = m;
      return (l: Record<string, string>) => (not ? !(k in l) : k in l);
    }
    throw ApiError.badRequest(
      `unable to parse requirement: invalid label selector "${text}"`,
    );
  });
  return obj => terms.every(t => t(obj.metadata.labels ?? {}));
}

/**
 * Parses a field selector (`a.b=c`, `a.b!=c`). `fieldAliases` maps names (keys
 * ending in '.' map prefixes), so `regarding.name` reads `involvedObject.name` on stored events.
 */
export function parseFieldSelector(
  text: string | null | undefined,
  fieldAliases: Record<string, string> = {},
): Selector {
  if (!text) return matchAll;
  const terms = splitTerms(text).map(term => {
    const m = term.match(/^([\w.]+)\s*(==|=|!=)\s*(.*)$/);
    if (!m)
      throw ApiError.badRequest(
        `invalid selector: '${text}'; can't understand '${term}'`,
      );
    const [, rawField, op, value] = m;
    let field = fieldAliases[rawField] ?? rawField;
    for (const [from, to] of Object.entries(fieldAliases)) {
      if (from.endsWith('.') && rawField.startsWith(from))
        field = to + rawField.slice(from.length);
    }
    return (obj: KubeObject) => {
      const actual = readPath(obj, field);
      const s = actual === undefined || actual === null ? '' : String(actual);
      return op === '!=' ? s !== value : s === value;
    };
  });
  return obj => terms.every(t => t(obj));
}

function readPath(obj: any, path: string) {
  return path
    .split('.')
    .reduce((o, p) => (o === undefined || o === null ? undefined : o[p]), obj);
}

/** Splits on commas that are not inside parentheses. */
function splitTerms(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}
