import { ApiError } from '../store/ApiError';
import {
  CORE_EVENT_FIELD_ALIASES,
  EVENTS_V1_FIELD_ALIASES,
  coreEventToEventsV1,
  eventsV1ToCoreEvent,
} from '../store/eventConversion';
import {
  ResourceType,
  apiVersionOf,
  qualifiedResource,
} from '../store/resourceTypes';
import { KubeObject } from '../store/types';

/** The stored object as the client asked for it: its group/version and field names. */
export function present(
  type: ResourceType,
  version: string,
  stored: KubeObject,
): KubeObject {
  if (type.group === 'events.k8s.io') return coreEventToEventsV1(stored);
  return {
    ...stored,
    apiVersion: apiVersionOf(type, version),
    kind: type.kind,
  };
}

/** A request body turned into the stored form; checks kind, name and namespace against the URL. */
export function accept(
  type: ResourceType,
  version: string,
  body: any,
  target: { namespace?: string; name?: string },
): KubeObject {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw ApiError.badRequest('the object provided is unrecognized');
  }
  if (body.kind && body.kind !== type.kind) {
    throw ApiError.badRequest(
      `the API version in the data (${
        body.apiVersion
      }) does not match the expected API version (${apiVersionOf(
        type,
        version,
      )})`,
    );
  }
  const obj: KubeObject =
    type.group === 'events.k8s.io' ? eventsV1ToCoreEvent(body) : { ...body };
  obj.metadata = { ...(obj.metadata ?? {}) };
  const resource = qualifiedResource(type);
  if (type.namespaced) {
    if (
      obj.metadata.namespace &&
      target.namespace &&
      obj.metadata.namespace !== target.namespace
    ) {
      throw ApiError.badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    obj.metadata.namespace = target.namespace ?? obj.metadata.namespace;
  }
  if (target.name && obj.metadata.name && obj.metadata.name !== target.name) {
    throw ApiError.badRequest(
      `the name of the object (${obj.metadata.name}) does not match the name on the URL (${target.name})`,
    );
  }
  if (target.name) obj.metadata.name = target.name;
  if (!obj.metadata.name && !obj.metadata.generateName) {
    throw ApiError.invalid(
      resource,
      '',
      'metadata.name: Required value: name or generateName is required',
    );
  }
  const storedType = type.group === 'events.k8s.io' ? 'v1' : apiVersionOf(type);
  return { ...obj, apiVersion: storedType, kind: type.kind };
}

/** Field selector aliases valid for a resource type. */
export function fieldAliasesFor(type: ResourceType): Record<string, string> {
  if (type.group === 'events.k8s.io') return EVENTS_V1_FIELD_ALIASES;
  if (type.kind === 'Event') return CORE_EVENT_FIELD_ALIASES;
  return {};
}

export function listKind(type: ResourceType) {
  return `${type.kind}List`;
}
