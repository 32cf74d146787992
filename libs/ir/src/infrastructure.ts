// What the Envoy Deployment and Service of a Gateway should look like. Gateway API
// carries labels and annotations in spec.infrastructure; the rest has defaults.

export interface Infrastructure {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Gateway addresses requested by the user (IPAddress or Hostname values). */
  addresses: string[];
}
