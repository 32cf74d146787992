// Backend weights. The CRD bounds each weight to 0..1,000,000; Envoy's weighted_clusters
// sums them into a uint32 and rejects a route whose total overflows (or is zero, which
// the Gateway API instead defines as "no traffic, answer 500", so that is reported by
// allWeightsZero and left to the translator rather than called invalid).

export const MAX_WEIGHT = 1_000_000;
const UINT32_MAX = 4_294_967_295;

/** Returns why this set of backend weights cannot be programmed, or undefined. */
export function weightsError(weights: readonly number[]): string | undefined {
  if (!Array.isArray(weights)) return "weights must be a list of integers";
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i];
    if (typeof w !== "number" || !Number.isInteger(w)) return `weight ${i} must be an integer, got ${JSON.stringify(w)}`;
    if (w < 0) return `weight ${i} must not be negative, got ${w}`;
    if (w > MAX_WEIGHT) return `weight ${i} must be at most ${MAX_WEIGHT}, got ${w}`;
    sum += w;
  }
  if (sum > UINT32_MAX) return `the weights add up to ${sum}, more than Envoy's limit of ${UINT32_MAX} (uint32)`;
  return undefined;
}

/** True when there is at least one weight and every weight is zero: per the spec the
 * rule then serves no traffic (HTTP 500) instead of splitting it. */
export function allWeightsZero(weights: readonly number[]): boolean {
  return Array.isArray(weights) && weights.length > 0 && weights.every((w) => w === 0);
}
