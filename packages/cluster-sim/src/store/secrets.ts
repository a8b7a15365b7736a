import { ApiError } from './ApiError';
import { KubeObject } from './types';

const BASE64 =
  /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** Secret keys the apiserver accepts (IsConfigMapKey). */
const KEY = /^[-._a-zA-Z0-9]+$/;

/**
 * A Secret as the apiserver stores it: `stringData` merged into `data`
 * (base64, and winning over `data` on the same key) and dropped, `type`
 * defaulted to `Opaque`. Refuses keys and `data` values the apiserver refuses.
 */
export function normaliseSecret(obj: KubeObject): KubeObject {
  const { stringData, ...rest } = obj;
  const data: Record<string, unknown> = { ...(obj.data ?? {}) };
  for (const [key, value] of Object.entries(stringData ?? {})) {
    data[key] = Buffer.from(String(value), 'utf8').toString('base64');
  }
  const name = obj.metadata?.name ?? '';
  for (const [key, value] of Object.entries(data)) {
    if (!KEY.test(key)) {
      throw ApiError.invalid(
        'secrets',
        name,
        `data[${key}]: Invalid value: "${key}": a valid config key must consist of alphanumeric characters, '-', '_' or '.'`,
      );
    }
    if (typeof value !== 'string' || !BASE64.test(value)) {
      throw ApiError.badRequest(
        `Secret in version "v1" cannot be handled as a Secret: illegal base64 data at data[${key}]`,
      );
    }
  }
  return {
    ...rest,
    type: obj.type || 'Opaque',
    ...(Object.keys(data).length ? { data } : {}),
  };
}
