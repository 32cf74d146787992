// Manifests the scenarios write into the watched folder.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { baseManifests, httpRouteManifest } from "@gatehouse/testing";
import { E2E_CONTROLLER_NAME } from "./pipeline";

export const GATEWAY = "default/eg";

export function writeBase(dir: string, controllerName = E2E_CONTROLLER_NAME): void {
  const endpointConditions = { ready: true, serving: true, terminating: false };
  writeFileSync(path.join(dir, "00-base.yaml"), baseManifests({ className: "e2e", controllerName, endpointConditions }));
}

/** Writes an HTTPRoute whose one rule matches the prefix /<name>/v<version>. */
export function writeRoute(dir: string, name: string, version: number): void {
  writeFileSync(path.join(dir, `route-${name}.yaml`), httpRouteManifest({ name, pathPrefix: `/${name}/v${version}` }));
}

/** The version encoded in a route path "/<name>/v<version>", or undefined. */
export function versionOfPath(p: string): { name: string; version: number } | undefined {
  const m = /^\/([^/]+)\/v(\d+)/.exec(p);
  return m ? { name: m[1], version: Number(m[2]) } : undefined;
}
