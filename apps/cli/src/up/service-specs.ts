// What `gatehouse up` runs, as data: the state folder's layout and the command line of each
// service. cert-manager keeps its CA key and the Envoy client certificate in folders under
// the state folder (the standalone file store), in both providers: the proxies `up` writes
// bootstraps for run on this machine. Pure, so a unit test reads the exact flags.
import path from "node:path";
import type { ServiceSpec } from "./service-process";

export type UpProvider = "file" | "kubernetes";
export const UP_PROVIDERS: readonly UpProvider[] = ["file", "kubernetes"];

/** Where `up` keeps what it writes, all under the state folder. */
export interface UpLayout {
  stateDir: string;
  logDir: string;
  statusFile: string;
  bootstrapDir: string;
  /** cert-manager's CA certificate and key (standalone file store, mode 0700). */
  caDir: string;
  /** The Envoy client tls.crt, tls.key and ca.crt, laid out as a mounted Secret (Envoy watches it). */
  envoyClientDir: string;
  /** The file-based SDS files the bootstraps point at, naming the files of envoyClientDir. */
  sdsDir: string;
}

export function upLayout(stateDir: string): UpLayout {
  const dir = path.resolve(stateDir);
  return {
    stateDir: dir,
    logDir: path.join(dir, "logs"),
    statusFile: path.join(dir, "status.yaml"),
    bootstrapDir: path.join(dir, "bootstrap"),
    caDir: path.join(dir, "pki", "ca"),
    envoyClientDir: path.join(dir, "pki", "envoy-client"),
    sdsDir: path.join(dir, "bootstrap", "sds"),
  };
}

export interface UpServicesInput {
  provider: UpProvider;
  /** The folder of manifests (file provider). */
  dir?: string;
  /** Plaintext xDS: no cert-manager, the xds-server without TLS. */
  insecure: boolean;
  natsUrl: string;
  controllerName: string;
  /** The watcher's leader-election Lease (kubernetes provider; absent: the watcher's default, the Lease of an installed Gatehouse). */
  leaseName?: string;
  xdsPort: number;
  layout: UpLayout;
  /** The /healthz, /readyz and /metrics port of each service. */
  healthPort: (service: string) => number;
  env: Record<string, string>;
}

/** Every service `up` may run (cert-manager not with --insecure). */
export const UP_SERVICES = ["cert-manager", "watcher", "ingress-converter", "translator", "xds-server"] as const;

export type UpServiceSpec = ServiceSpec & { healthPort: number };

/** The services in start order: cert-manager before the xds-server that asks it for a certificate. */
export function upServiceSpecs(input: UpServicesInput): UpServiceSpec[] {
  const { layout } = input;
  const spec = (name: string, args: string[]): UpServiceSpec => {
    const healthPort = input.healthPort(name);
    return {
      name,
      entry: `apps/${name}/src/main.ts`,
      args: ["--nats", input.natsUrl, "--health-port", String(healthPort), ...args],
      env: input.env,
      logFile: path.join(layout.logDir, `${name}.log`),
      healthPort,
    };
  };
  const specs: UpServiceSpec[] = [];
  if (!input.insecure) {
    specs.push(spec("cert-manager", ["--secret-store", "file", "--ca-dir", layout.caDir, "--envoy-client-dir", layout.envoyClientDir]));
  }
  specs.push(
    spec(
      "watcher",
      input.provider === "kubernetes"
        ? // The proxies of a local up are the ones it writes bootstraps for, dialling this
          // machine: Envoy Deployments in the cluster could not reach the local xds-server.
          ["--provider", "kubernetes", "--controller-name", input.controllerName, "--manage-infrastructure=false", ...(input.leaseName ? ["--leader-election-name", input.leaseName] : [])]
        : ["--provider", "file", "--dir", input.dir!, "--status-file", layout.statusFile],
    ),
  );
  // The GatewayClass it generates for Ingresses must be the translator's.
  specs.push(spec("ingress-converter", ["--gateway-controller-name", input.controllerName]));
  specs.push(spec("translator", ["--controller-name", input.controllerName]));
  specs.push(spec("xds-server", ["--xds-port", String(input.xdsPort), ...(input.insecure ? [] : ["--certs-from-bus"])]));
  return specs;
}
