import { InputError } from '@backstage/errors';
import {
  Document,
  Scalar,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
  parseDocument,
  visit,
} from 'yaml';

/** The result of editing one YAML text. */
export interface PromotionEdit {
  /** The new text; every byte outside the edited values is unchanged. */
  text: string;
  /** How many values were changed (0 when all already had the version). */
  changed: number;
  /** How many values were selected (by marker or field), changed or not. */
  found: number;
}

type Range = [number, number];

/** A trailing Weave GitOps marker: `  # {"$promotion": "<ns>:<pipeline>:<env>"}`. */
const MARKER_COMMENT = /^[ \t]+#[ \t]*(\{.*\})[ \t]*$/;

/**
 * Sets every scalar whose line ends with the Weave GitOps promotion marker
 * `# {"$promotion": "<marker>"}` to `version`, keeping its quote style.
 */
export function setMarkedVersions(
  text: string,
  marker: string,
  version: string,
): PromotionEdit {
  const ranges = markedRanges(text, marker);
  const edit = replaceRanges(text, ranges, version);
  assertEdited(
    edit.text,
    markedRanges(edit.text, marker),
    ranges.length,
    version,
  );
  return edit;
}

/**
 * Sets the field at a dotted path (e.g. `spec.chart.spec.version`) to
 * `version` in every document of `text` that has it.
 */
export function setField(
  text: string,
  fieldPath: string,
  version: string,
): PromotionEdit {
  const ranges = fieldRanges(text, fieldPath);
  if (ranges.length === 0) {
    throw new InputError(`No YAML document has the field ${fieldPath}`);
  }
  const edit = replaceRanges(text, ranges, version);
  assertEdited(
    edit.text,
    fieldRanges(edit.text, fieldPath),
    ranges.length,
    version,
  );
  return edit;
}

/** Whether `comment` (the text after a value on its line) is the marker. */
export function isPromotionMarker(comment: string, marker: string): boolean {
  const match = MARKER_COMMENT.exec(comment.replace(/\r$/, ''));
  if (!match) return false;
  try {
    const parsed = JSON.parse(match[1]);
    return (
      typeof parsed?.$promotion === 'string' &&
      parsed.$promotion.trim() === marker.trim()
    );
  } catch {
    return false;
  }
}

function parse(text: string): Document[] {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) return []; // an empty stream
  for (const doc of docs) {
    const [error] = doc.errors;
    if (error) {
      throw new InputError(`Invalid YAML: ${error.message.split('\n')[0]}`);
    }
  }
  return docs;
}

function markedRanges(text: string, marker: string): Range[] {
  const ranges: Range[] = [];
  for (const doc of parse(text)) {
    visit(doc, {
      Scalar(_key, node) {
        const range = editableRange(node);
        if (!range) return;
        const lineEnd = text.indexOf('\n', range[1]);
        const rest = text.slice(range[1], lineEnd < 0 ? text.length : lineEnd);
        if (isPromotionMarker(rest, marker)) ranges.push(range);
      },
    });
  }
  return ranges;
}

function fieldRanges(text: string, fieldPath: string): Range[] {
  const segments = fieldPath.split('.');
  if (segments.some(s => s === '')) {
    throw new InputError(`Invalid field path ${fieldPath}`);
  }
  const ranges: Range[] = [];
  for (const doc of parse(text)) {
    let node: unknown = doc.contents;
    for (const segment of segments) {
      if (isMap(node)) node = node.get(segment, true);
      else if (isSeq(node) && /^\d+$/.test(segment)) {
        node = node.items[Number(segment)];
      } else node = undefined;
    }
    if (node === undefined || node === null) continue;
    const range = isScalar(node) && !isAlias(node) && editableRange(node);
    if (!range) {
      throw new InputError(
        `The field ${fieldPath} is not a plain or quoted value`,
      );
    }
    ranges.push(range);
  }
  return ranges;
}

/** The source range of a one-line plain or quoted scalar, if it is one. */
function editableRange(node: Scalar): Range | undefined {
  const editable = [Scalar.PLAIN, Scalar.QUOTE_DOUBLE, Scalar.QUOTE_SINGLE];
  if (!node.range || !editable.includes(node.type as any)) return undefined;
  const [start, end] = node.range;
  return end > start ? [start, end] : undefined;
}

function replaceRanges(
  text: string,
  ranges: Range[],
  version: string,
): PromotionEdit {
  let result = text;
  let changed = 0;
  // Back to front, so earlier offsets stay valid.
  for (const [start, end] of [...ranges].sort((a, b) => b[0] - a[0])) {
    const source = result.slice(start, end);
    const next = formatLike(source, version);
    if (next === source) continue;
    result = result.slice(0, start) + next + result.slice(end);
    changed++;
  }
  return { text: result, changed, found: ranges.length };
}

/** `version` written in the quote style of `source`, quoted where plain would not read back as the same string. */
function formatLike(source: string, version: string): string {
  if (source.startsWith('"')) return JSON.stringify(version);
  if (source.startsWith("'")) return `'${version.replace(/'/g, "''")}'`;
  if (readsBackAsString(source) === version) return source;
  return readsBackAsString(version) === version
    ? version
    : JSON.stringify(version);
}

/** The string a plain scalar means under YAML 1.2 and 1.1 (Flux's Go parser), if both agree. */
function readsBackAsString(plain: string): string | undefined {
  if (/[\r\n]/.test(plain)) return undefined;
  const values = (['1.2', '1.1'] as const).map(yamlVersion => {
    const doc = parseDocument(`v: ${plain}\n`, { version: yamlVersion });
    return doc.errors.length === 0 ? doc.get('v') : undefined;
  });
  return typeof values[0] === 'string' && values[0] === values[1]
    ? values[0]
    : undefined;
}

/** Re-reads the edited text: the same values must now hold `version`. */
function assertEdited(
  text: string,
  ranges: Range[],
  expected: number,
  version: string,
) {
  const values = ranges.map(([start, end]) =>
    parseDocument(`v: ${text.slice(start, end)}\n`).get('v'),
  );
  if (values.length !== expected || values.some(v => v !== version)) {
    throw new Error(`Setting version ${version} did not read back`);
  }
}
