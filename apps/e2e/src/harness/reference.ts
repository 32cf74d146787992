// "A run without the kill": the config a proxy must end up with for a folder of manifests,
// computed in-process with the same libraries the services use (parse, translate, build,
// validate, encode), so a test can compare a pipeline that was killed and restarted with
// what an undisturbed one produces.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { resourceSetFrom, translate } from "@gatehouse/gatewayapi";
import { collectManifests, formatManifestError, isIgnoredPath, MANIFEST_FILE } from "@gatehouse/kube";
import { gatewayKey } from "@gatehouse/ir";
import { buildGatewayResources, validateGatewayResources } from "@gatehouse/xds";
import { CONFIG_TYPES, digestOf } from "./xds-view";

export function expectedDigest(dir: string, gateway: string, controllerName: string): string {
  return digestOf(expectedEntries(dir, gateway, controllerName));
}

/** "type name version" of every listener, route and cluster an undisturbed pipeline gives the proxy. */
export function expectedEntries(dir: string, gateway: string, controllerName: string): string[] {
  // The files the watcher reads (libs/kube's folder rule), parsed with the same parser.
  const files = (readdirSync(dir, { recursive: true }) as string[])
    .map((rel) => path.join(dir, rel))
    .filter((file) => MANIFEST_FILE.test(file) && !isIgnoredPath(dir, file))
    .sort();
  const { objects, errors } = collectManifests(files.map((file) => ({ source: file, text: readFileSync(file, "utf8") })));
  if (errors.length > 0) throw new Error(`the reference folder does not parse: ${errors.map(formatManifestError).join("; ")}`);
  const { irs } = translate(resourceSetFrom(objects), { controllerName, checkEndpoints: false });
  const ir = irs.find((i) => gatewayKey(i.gateway) === gateway);
  if (!ir) throw new Error(`no IR for ${gateway}`);
  const { encoded } = validateGatewayResources(buildGatewayResources(ir, { ipFamily: "DualStack" }));
  const types = new Set<string>(CONFIG_TYPES);
  return encoded.filter((e) => types.has(e.typeUrl)).map((e) => `${e.typeUrl} ${e.name} ${e.version}`);
}
