// Manifests the scenarios write into the watched folder.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { E2E_CONTROLLER_NAME } from "./pipeline";

export const GATEWAY = "default/eg";

export function writeBase(dir: string, controllerName = E2E_CONTROLLER_NAME): void {
  writeFileSync(
    path.join(dir, "00-base.yaml"),
    `apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: { name: e2e }
spec: { controllerName: ${controllerName} }
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: eg, namespace: default }
spec:
  gatewayClassName: e2e
  listeners:
    - { name: http, protocol: HTTP, port: 8080 }
---
apiVersion: v1
kind: Service
metadata: { name: backend, namespace: default }
spec:
  ports: [{ name: http, port: 80, targetPort: 9000 }]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: backend-1
  namespace: default
  labels: { kubernetes.io/service-name: backend }
addressType: IPv4
ports: [{ name: http, port: 9000 }]
endpoints:
  - addresses: ["127.0.0.1"]
    conditions: { ready: true, serving: true, terminating: false }
`,
  );
}

/** An HTTPRoute whose one rule matches the prefix /<name>/v<version>. */
export function routeYaml(name: string, version: number): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: ${name}, namespace: default }
spec:
  parentRefs: [{ name: eg }]
  rules:
    - matches: [{ path: { type: PathPrefix, value: /${name}/v${version} } }]
      backendRefs: [{ name: backend, port: 80 }]
`;
}

export function writeRoute(dir: string, name: string, version: number): void {
  writeFileSync(path.join(dir, `route-${name}.yaml`), routeYaml(name, version));
}

/** The version encoded in a route path "/<name>/v<version>", or undefined. */
export function versionOfPath(p: string): { name: string; version: number } | undefined {
  const m = /^\/([^/]+)\/v(\d+)/.exec(p);
  return m ? { name: m[1], version: Number(m[2]) } : undefined;
}
