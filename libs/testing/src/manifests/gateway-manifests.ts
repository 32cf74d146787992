// Gateway API manifests (YAML) for the tests and benchmarks that feed the pipeline: a
// GatewayClass and the Gateway default/eg with one HTTP listener on 8080, a Service (port 80
// to target port 9000) with an optional EndpointSlice, and HTTPRoutes to that Service.

export interface BaseManifestOptions {
  readonly className: string;
  readonly controllerName: string;
  /** Name of the Service in namespace default (default "backend"). */
  readonly service?: string;
  /**
   * Conditions of one endpoint at 127.0.0.1:9000, in an EndpointSlice `<service>-1`.
   * Without them there is no EndpointSlice.
   */
  readonly endpointConditions?: Readonly<Record<string, boolean>>;
}

/** The GatewayClass, Gateway, Service (and EndpointSlice) documents, as one YAML stream. */
export function baseManifests(opts: BaseManifestOptions): string {
  const service = opts.service ?? "backend";
  const docs = [
    `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: { name: ${opts.className} }
spec: { controllerName: ${opts.controllerName} }
`,
    `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: eg, namespace: default }
spec:
  gatewayClassName: ${opts.className}
  listeners: [{ name: http, protocol: HTTP, port: 8080 }]
`,
    `apiVersion: v1
kind: Service
metadata: { name: ${service}, namespace: default }
spec: { ports: [{ name: http, port: 80, targetPort: 9000 }] }
`,
  ];
  if (opts.endpointConditions) {
    docs.push(`apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: { name: ${service}-1, namespace: default, labels: { kubernetes.io/service-name: ${service} } }
addressType: IPv4
ports: [{ name: http, port: 9000 }]
endpoints: [{ addresses: ["127.0.0.1"], conditions: ${JSON.stringify(opts.endpointConditions)} }]
`);
  }
  return docs.join("---\n");
}

export interface RouteManifestOptions {
  /** Name of the HTTPRoute in namespace default. */
  readonly name: string;
  /** The Service its one rule sends to, port 80 (default "backend"). */
  readonly service?: string;
  /** The rule matches this path prefix; without it, every path. */
  readonly pathPrefix?: string;
  readonly hostnames?: readonly string[];
}

/** An HTTPRoute attached to the Gateway eg. */
export function httpRouteManifest(opts: RouteManifestOptions): string {
  const hostnames = opts.hostnames ? `  hostnames: ${JSON.stringify(opts.hostnames)}\n` : "";
  const matches = opts.pathPrefix ? `matches: [{ path: { type: PathPrefix, value: ${opts.pathPrefix} } }]\n      ` : "";
  return `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: ${opts.name}, namespace: default }
spec:
  parentRefs: [{ name: eg }]
${hostnames}  rules:
    - ${matches}backendRefs: [{ name: ${opts.service ?? "backend"}, port: 80 }]
`;
}
