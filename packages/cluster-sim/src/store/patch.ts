import { ApiError } from './ApiError';

/** RFC 7386 JSON merge patch. */
export function applyMergePatch(target: any, patch: any): any {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch))
    return patch;
  const base =
    target && typeof target === 'object' && !Array.isArray(target)
      ? { ...target }
      : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete base[k];
    else base[k] = applyMergePatch(base[k], v);
  }
  return base;
}

interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: unknown;
}

/** RFC 6902 JSON patch. */
export function applyJsonPatch(target: any, ops: JsonPatchOp[]): any {
  if (!Array.isArray(ops))
    throw ApiError.badRequest('json patch must be an array of operations');
  let doc = JSON.parse(JSON.stringify(target));
  for (const op of ops) {
    switch (op.op) {
      case 'add':
        doc = setAt(doc, op.path, op.value, 'add');
        break;
      case 'replace':
        getAt(doc, op.path);
        doc = setAt(doc, op.path, op.value, 'replace');
        break;
      case 'remove':
        doc = removeAt(doc, op.path);
        break;
      case 'move': {
        const value = getAt(doc, op.from!);
        doc = setAt(removeAt(doc, op.from!), op.path, value, 'add');
        break;
      }
      case 'copy':
        doc = setAt(
          doc,
          op.path,
          JSON.parse(JSON.stringify(getAt(doc, op.from!))),
          'add',
        );
        break;
      case 'test':
        if (JSON.stringify(getAt(doc, op.path)) !== JSON.stringify(op.value)) {
          throw new ApiError({
            code: 422,
            reason: 'Invalid',
            message: `the server rejected our request due to an error in our request: test operation failed for ${op.path}`,
          });
        }
        break;
      default:
        throw ApiError.badRequest(`Unexpected kind: ${(op as any).op}`);
    }
  }
  return doc;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/'))
    throw ApiError.badRequest(`invalid JSON pointer ${path}`);
  return path
    .slice(1)
    .split('/')
    .map(p => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function getAt(doc: any, path: string) {
  let cur = doc;
  for (const p of pointer(path)) {
    if (cur === null || typeof cur !== 'object' || !(p in cur)) {
      throw new ApiError({
        code: 422,
        reason: 'Invalid',
        message: `the server rejected our request due to an error in our request: path ${path} does not exist`,
      });
    }
    cur = cur[p];
  }
  return cur;
}

function setAt(
  doc: any,
  path: string,
  value: unknown,
  mode: 'add' | 'replace',
) {
  const parts = pointer(path);
  if (!parts.length) return value;
  const last = parts.pop()!;
  const parent = getAt(doc, parts.length ? `/${parts.map(esc).join('/')}` : '');
  if (Array.isArray(parent)) {
    const i = last === '-' ? parent.length : Number(last);
    if (mode === 'add') parent.splice(i, 0, value);
    else parent[i] = value;
  } else if (parent && typeof parent === 'object') {
    parent[last] = value;
  } else {
    throw ApiError.badRequest(`cannot set ${path}`);
  }
  return doc;
}

function removeAt(doc: any, path: string) {
  const parts = pointer(path);
  const last = parts.pop()!;
  const parent = getAt(doc, parts.length ? `/${parts.map(esc).join('/')}` : '');
  getAt(doc, path);
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else delete parent[last];
  return doc;
}

function esc(p: string) {
  return p.replace(/~/g, '~0').replace(/\//g, '~1');
}
