// Bundles the entry point of every service into dist/<service>.mjs for the container image:
// our TypeScript (apps and libs, through the tsconfig paths) is bundled, npm dependencies
// stay external and load from node_modules (libs/xds reads Envoy's .proto files from there).
//   node deploy/docker/bundle.mjs [--out DIR] [service...]
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export const SERVICES = ["watcher", "translator", "ingress-converter", "cert-manager", "xds-server"];

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const args = process.argv.slice(2);
const outIndex = args.indexOf("--out");
const outDir = outIndex >= 0 ? path.resolve(args[outIndex + 1]) : path.join(root, "dist");
const wanted = args.filter((a, i) => a !== "--out" && i !== outIndex + 1);
const services = wanted.length > 0 ? wanted : SERVICES;

const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
const external = Object.keys(pkg.dependencies).flatMap((d) => [d, `${d}/*`]);

for (const service of services) {
  const entry = path.join(root, "apps", service, "src", "main.ts");
  if (!existsSync(entry)) {
    console.error(`no entry point ${path.relative(root, entry)}`);
    process.exit(1);
  }
  await build({
    entryPoints: [entry],
    outfile: path.join(outDir, `${service}.mjs`),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    tsconfig: path.join(root, "tsconfig.base.json"),
    external,
    sourcemap: "linked",
    logLevel: "warning",
  });
}
console.error(`bundled ${services.join(", ")} into ${path.relative(root, outDir) || "."}`);
