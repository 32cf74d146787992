// Whether a managed Gateway's proxies run: Programmed means the data plane serves the
// configuration, which needs at least one available Envoy pod. The proxy Deployment is the
// one the watcher applies (found like the Service, by its name and owner labels); the
// watcher publishes it cut down to its replica counts. As in Envoy Gateway, a Deployment
// that is missing or has no available replica gives Programmed=False/NoResources; a
// Deployment that exists but has not reported yet (no status) counts as none available,
// since Kubernetes omits zero counts. Only for Gateways with a proxy Service: standalone,
// nothing is managed and Programmed is what translation decides.
import type { KubeObject } from "./kube-types";
import type { ProgrammedOverride } from "./gateway-addresses";

interface DeploymentShape {
  status?: { replicas?: unknown; readyReplicas?: unknown; availableReplicas?: unknown } | null;
}

/** A replica count as Kubernetes writes it: absent means 0; a value of the wrong type reads as 0. */
function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : 0;
}

/** Programmed=False/NoResources when the proxy Deployment is missing or has no available replica; undefined when some replica is available. */
export function availabilityVerdict(deployment: KubeObject | undefined, name: string): ProgrammedOverride | undefined {
  if (!deployment) {
    return { reason: "NoResources", message: `Deployment replicas unavailable: no proxy Deployment ${name} applied by Gatehouse is found` };
  }
  const status = (deployment as DeploymentShape).status;
  const s = status && typeof status === "object" ? status : {};
  if (count(s.availableReplicas) > 0) return undefined;
  const replicas = count(s.replicas);
  const detail = replicas === 0 ? "has no replicas" : `has none of its ${replicas} replicas available (${count(s.readyReplicas)} ready)`;
  return { reason: "NoResources", message: `Deployment replicas unavailable: the proxy Deployment ${name} ${detail}` };
}
