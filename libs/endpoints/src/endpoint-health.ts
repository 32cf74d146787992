// The health table of the design (docs/architecture.md, "Endpoints: the fast path"):
// serving and not terminating is HEALTHY; serving and terminating is DRAINING while some
// other endpoint serves and is not terminating, else HEALTHY (kube-proxy's fallback, so a
// Service whose pods are all terminating keeps taking traffic); not serving is left out.
import type { EndpointHealth } from "@gatehouse/ir";
import type { EndpointConditions } from "./endpoint-slice";

/** How an endpoint's conditions rank, before the Service-wide fallback is applied. */
export type EndpointState = "serving" | "terminating" | "not-serving";

/**
 * Kubernetes semantics of absent conditions: `serving` unset means "use ready"
 * (clusters older than 1.20), `ready` unset means true, `terminating` unset means false.
 */
export function endpointState(conditions: EndpointConditions | null | undefined): EndpointState {
  const ready = conditions?.ready ?? true;
  const serving = conditions?.serving ?? ready;
  if (!serving) return "not-serving";
  return conditions?.terminating ? "terminating" : "serving";
}

/** Rank used to merge duplicates of one address: the more available state wins. */
export function stateRank(state: EndpointState): number {
  return state === "serving" ? 2 : state === "terminating" ? 1 : 0;
}

/**
 * Envoy health of an endpoint in a set where `servingCount` endpoints serve and are not
 * terminating; undefined means the endpoint is left out.
 */
export function envoyHealth(state: EndpointState, servingCount: number): EndpointHealth | undefined {
  switch (state) {
    case "serving":
      return "HEALTHY";
    case "terminating":
      return servingCount > 0 ? "DRAINING" : "HEALTHY";
    case "not-serving":
      return undefined;
  }
}
