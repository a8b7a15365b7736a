import { ApiError } from '../store/ApiError';
import { ResourceType } from '../store/resourceTypes';
import { KubeObject } from '../store/types';

/** `k8s\0`, the start of every Kubernetes protobuf body. */
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

type Field = { number: number; value: bigint | Buffer };

/**
 * Decodes a `application/vnd.kubernetes.protobuf` request body, which
 * kubectl's typed clients send for core kinds (e.g. `kubectl create secret`).
 * Only Secrets are understood: their metadata (name, generateName,
 * namespace, labels, annotations), `data`, `stringData`, `type` and
 * `immutable`, by the field numbers of k8s.io/api's generated.proto. Other
 * kinds are answered 415.
 */
export function decodeProtobufBody(
  type: ResourceType,
  body: Buffer,
): KubeObject {
  if (type.group !== '' || type.kind !== 'Secret') {
    throw new ApiError({
      code: 415,
      reason: 'UnsupportedMediaType',
      message: `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`,
    });
  }
  if (!body.subarray(0, 4).equals(MAGIC)) {
    throw ApiError.badRequest(
      'the object provided is unrecognized: no protobuf envelope',
    );
  }
  // runtime.Unknown { typeMeta = 1 { apiVersion = 1, kind = 2 }, raw = 2 }
  const unknown = fields(body.subarray(4));
  const typeMeta = fields(bytes(unknown, 1));
  const secret = fields(bytes(unknown, 2));
  const metadata = fields(bytes(secret, 1));
  const immutable = secret.find(f => f.number === 5)?.value;
  return {
    apiVersion: text(typeMeta, 1) || 'v1',
    kind: text(typeMeta, 2) || 'Secret',
    metadata: {
      name: text(metadata, 1) ?? '',
      ...compact({
        generateName: text(metadata, 2),
        namespace: text(metadata, 3),
        labels: map(metadata, 11, v => v.toString('utf8')),
        annotations: map(metadata, 12, v => v.toString('utf8')),
      }),
    },
    ...compact({
      data: map(secret, 2, v => v.toString('base64')),
      stringData: map(secret, 4, v => v.toString('utf8')),
      type: text(secret, 3),
    }),
    ...(immutable !== undefined ? { immutable: immutable === 1n } : {}),
  };
}

/** The fields of one protobuf message, in order. */
function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let at = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (at >= buf.length) throw truncated();
      const byte = buf[at++];
      result |= BigInt(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return result;
    }
  };
  while (at < buf.length) {
    const tag = Number(varint());
    const number = tag >>> 3;
    switch (tag & 7) {
      case 0:
        out.push({ number, value: varint() });
        break;
      case 2: {
        const length = Number(varint());
        if (at + length > buf.length) throw truncated();
        out.push({ number, value: buf.subarray(at, at + length) });
        at += length;
        break;
      }
      case 1:
        at += 8;
        break;
      case 5:
        at += 4;
        break;
      default:
        throw ApiError.badRequest(
          `the object provided is unrecognized: protobuf wire type ${tag & 7}`,
        );
    }
  }
  return out;
}

function truncated() {
  return ApiError.badRequest(
    'the object provided is unrecognized: truncated protobuf',
  );
}

function bytes(message: Field[], number: number): Buffer {
  const value = message.find(f => f.number === number)?.value;
  return Buffer.isBuffer(value) ? value : Buffer.alloc(0);
}

/** A string field; empty counts as unset, as the apiserver reads it. */
function text(message: Field[], number: number): string | undefined {
  const value = message.find(f => f.number === number)?.value;
  return Buffer.isBuffer(value) && value.length
    ? value.toString('utf8')
    : undefined;
}

/** A protobuf map<string, …> field: repeated entries { key = 1, value = 2 }. */
function map(
  message: Field[],
  number: number,
  decode: (value: Buffer) => string,
): Record<string, string> | undefined {
  const entries = message.filter(f => f.number === number);
  if (!entries.length) return undefined;
  return Object.fromEntries(
    entries.map(entry => {
      const kv = fields(entry.value as Buffer);
      return [text(kv, 1) ?? '', decode(bytes(kv, 2))];
    }),
  );
}

function compact<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as Partial<T>;
}
