/** Which pipeline and environment a promotion pull request belongs to. */
export interface PromotionMarkerKey {
  pipelineNamespace: string;
  pipelineName: string;
  environment: string;
}

/** What a promotion pull request's body records about itself. */
export interface PromotionMarker extends PromotionMarkerKey {
  version?: string;
  promotionId?: string;
}

const LABEL = 'flux-pipelines-promotion';
const MARKER_PATTERN = new RegExp(
  `<!--\\s*${LABEL}:\\s*(\\{[^\\n]*?\\})\\s*-->`,
  'g',
);

/**
 * A machine-readable HTML comment for a pull request body, invisible once
 * rendered:
 * `<!-- flux-pipelines-promotion: {"pipeline":"ns/name","environment":"test","version":"6.1.0","promotionId":"…"} -->`.
 * `<` and `>` in values are JSON-escaped so that no value can end the comment.
 */
export function promotionMarker(marker: PromotionMarker): string {
  const json = JSON.stringify({
    pipeline: `${marker.pipelineNamespace}/${marker.pipelineName}`,
    environment: marker.environment,
    ...(marker.version !== undefined && { version: marker.version }),
    ...(marker.promotionId !== undefined && {
      promotionId: marker.promotionId,
    }),
  })
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e');
  return `<!-- ${LABEL}: ${json} -->`;
}

/** The first well-formed promotion marker in a pull request body, if any. */
export function parsePromotionMarker(
  body: string | null | undefined,
): PromotionMarker | undefined {
  if (!body) {
    return undefined;
  }
  for (const match of body.matchAll(MARKER_PATTERN)) {
    const marker = toMarker(match[1]);
    if (marker) {
      return marker;
    }
  }
  return undefined;
}

/** Whether a pull request body carries a marker for this pipeline and environment. */
export function hasPromotionMarker(
  body: string | null | undefined,
  key: PromotionMarkerKey,
): boolean {
  const marker = parsePromotionMarker(body);
  return (
    marker !== undefined &&
    marker.pipelineNamespace === key.pipelineNamespace &&
    marker.pipelineName === key.pipelineName &&
    marker.environment === key.environment
  );
}

function toMarker(json: string): PromotionMarker | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const { pipeline, environment, version, promotionId } = value as Record<
    string,
    unknown
  >;
  if (typeof pipeline !== 'string' || typeof environment !== 'string') {
    return undefined;
  }
  const slash = pipeline.indexOf('/');
  if (slash <= 0 || slash === pipeline.length - 1) {
    return undefined;
  }
  return {
    pipelineNamespace: pipeline.slice(0, slash),
    pipelineName: pipeline.slice(slash + 1),
    environment,
    ...(typeof version === 'string' && { version }),
    ...(typeof promotionId === 'string' && { promotionId }),
  };
}
