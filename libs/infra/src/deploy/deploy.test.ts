// deploy/: every overlay renders with `kubectl kustomize`, and what it renders is checked:
// each object parses as its Kubernetes kind, every workload has probes, resources and a
// locked-down securityContext, RBAC grants exactly the rights the design allows, NATS
// users match libs/bus permissions, and each service's flags exist in its configuration.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { validateObject } from "@gatehouse/validation";
import { afterAll, describe, expect, it } from "vitest";
import { kubeSchemaErrors } from "../kube-schema/kube-schema";
import { deployedXdsServer, XDS_SERVER_SERVICE } from "../cluster-facts";
import { COMPONENT_LABEL, MANAGED_BY, MANAGED_BY_LABEL, PROXY_COMPONENT } from "@gatehouse/kube";
import { ENVOY_CLIENT_CERT_SECRET } from "../render/proxy-deployment";
import { DEPLOY_DIR, deployCopyWithCredentials, hasTool, kustomize, removeTemporaryDirs, REPO_ROOT, temporaryDir, type KubeObject } from "./deploy-tools";
import { deployNatsAuthorization, natsPasswordVariable } from "./nats-authorization";

const SERVICES = ["watcher", "translator", "ingress-converter", "cert-manager", "xds-server"];
const HAS_KUBECTL = hasTool("kubectl", ["version", "--client"]);
const HAS_OPENSSL = hasTool("openssl", ["version"]);
const HAS_NATS = hasTool("nats-server", ["--version"]);

/** What the watcher may do: API group/resource to verbs (the design's list, nothing more). */
const WATCHER_ALLOWED: Record<string, string[]> = {
  ...Object.fromEntries(
    ["gatewayclasses", "gateways", "httproutes", "grpcroutes", "tlsroutes", "tcproutes", "udproutes", "referencegrants", "backendtlspolicies"].flatMap((r) => [
      [`gateway.networking.k8s.io/${r}`, ["list", "watch"]],
      [`gateway.networking.k8s.io/${r}/status`, ["update", "patch"]],
    ]),
  ),
  "gateway.gatehouse.dev/proxyconfigs": ["list", "watch"],
  "/namespaces": ["list", "watch"],
  "/secrets": ["list", "watch", "create"],
  "discovery.k8s.io/endpointslices": ["list", "watch"],
  "networking.k8s.io/ingresses": ["list", "watch"],
  "networking.k8s.io/ingressclasses": ["list", "watch"],
  "networking.k8s.io/ingresses/status": ["update", "patch"],
  "/services": ["list", "watch", "create", "patch", "delete"],
  "/configmaps": ["list", "watch", "create", "patch", "delete"],
  "/serviceaccounts": ["list", "create", "patch", "delete"],
  "apps/deployments": ["list", "watch", "create", "patch", "delete"],
  "autoscaling/horizontalpodautoscalers": ["list", "create", "patch", "delete"],
  "policy/poddisruptionbudgets": ["list", "create", "patch", "delete"],
  "coordination.k8s.io/leases": ["get", "create", "update"],
  "/events": ["create", "patch"],
  "events.k8s.io/events": ["create", "patch"],
};

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  verbs?: string[];
}

afterAll(removeTemporaryDirs);

const rendered = new Map<string, KubeObject[]>();
function overlay(name: string): KubeObject[] {
  if (!rendered.has(name)) rendered.set(name, kustomize(path.join(deployCopyWithCredentials(), "overlays", name)));
  return rendered.get(name)!;
}

const podSpecOf = (o: KubeObject) => (o.spec as { template: { spec: Record<string, unknown> } }).template.spec;
type Container = Record<string, unknown> & { name: string; args?: string[]; env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { key: string } } }[] };

describe("deploy: NATS users", () => {
  it("auth.conf is what libs/bus permissions give (regenerate with UPDATE_GOLDEN=1)", () => {
    const file = path.join(DEPLOY_DIR, "base/nats/auth.conf");
    if (process.env.UPDATE_GOLDEN === "1") writeFileSync(file, deployNatsAuthorization());
    expect(readFileSync(file, "utf8")).toBe(deployNatsAuthorization());
  });

  it.skipIf(!HAS_NATS || !HAS_OPENSSL)("nats-server accepts the single-node and the cluster configuration", () => {
    const dir = deployCopyWithCredentials();
    const env: Record<string, string> = { ...process.env, POD_NAME: "gatehouse-nats-0" } as Record<string, string>;
    for (const line of readFileSync(path.join(dir, "base/credentials/nats-users.env"), "utf8").trim().split("\n")) {
      const [k, v] = line.split("=");
      // nats-server would read a leading digit as the start of a number.
      expect(v, k).toMatch(/^[A-Za-z][A-Za-z0-9]{31,}$/);
      env[k] = v;
    }
    const work = temporaryDir("gatehouse-nats-");
    for (const conf of ["nats.conf", "nats-cluster.conf"]) {
      const text = readFileSync(path.join(dir, "base/nats", conf), "utf8")
        .replaceAll("/etc/nats/tls/tls.crt", path.join(dir, "base/credentials/nats-server.crt"))
        .replaceAll("/etc/nats/tls/tls.key", path.join(dir, "base/credentials/nats-server.key"))
        .replaceAll("/data/jetstream", path.join(work, "js"))
        .replaceAll("/tmp/nats.pid", path.join(work, "nats.pid"));
      writeFileSync(path.join(work, conf), text);
      writeFileSync(path.join(work, "auth.conf"), readFileSync(path.join(dir, "base/nats/auth.conf")));
      const r = spawnSync("nats-server", ["-c", path.join(work, conf), "-t"], { env, encoding: "utf8" });
      expect(`${r.stdout}${r.stderr}`).toContain("is valid");
      expect(r.status).toBe(0);
    }
  });
});

if (!HAS_KUBECTL) console.error("kubectl not installed: the kustomize checks of deploy/ are skipped");
if (!HAS_OPENSSL) console.error("openssl not installed (deploy/generate-credentials.sh needs it): the kustomize checks of deploy/ are skipped");
if (!HAS_NATS) console.error("nats-server not installed: the NATS configuration check is skipped");

describe.skipIf(!HAS_KUBECTL || !HAS_OPENSSL)("deploy: kubectl kustomize overlays", () => {
  for (const name of ["dev", "production"]) {
    it(`${name}: every object parses as its kind`, async () => {
      for (const o of overlay(name)) {
        if (o.apiVersion.startsWith("gateway.networking.k8s.io/")) {
          expect(validateObject(o as never), `${o.kind} ${o.metadata.name}`).toEqual([]);
        } else {
          expect(await kubeSchemaErrors(o), `${o.kind} ${o.metadata.name}`).toEqual([]);
        }
      }
      const kinds = new Set(overlay(name).map((o) => o.kind));
      for (const k of ["Namespace", "CustomResourceDefinition", "GatewayClass", "StatefulSet", "Deployment", "ClusterRole", "NetworkPolicy", "Secret", "ConfigMap"]) {
        expect(kinds.has(k), k).toBe(true);
      }
    });

    it(`${name}: every workload has probes, resources and a locked-down securityContext`, () => {
      const workloads = overlay(name).filter((o) => o.kind === "Deployment" || o.kind === "StatefulSet");
      expect(workloads.map((o) => o.metadata.name).sort()).toEqual([...SERVICES.map((s) => `gatehouse-${s}`), "gatehouse-nats"].sort());
      for (const w of workloads) {
        const pod = podSpecOf(w);
        expect((pod.securityContext as Record<string, unknown>).runAsNonRoot, w.metadata.name).toBe(true);
        for (const c of pod.containers as Container[]) {
          const where = `${w.metadata.name}/${c.name}`;
          expect(c.livenessProbe, where).toBeDefined();
          expect(c.readinessProbe, where).toBeDefined();
          const res = c.resources as { requests?: Record<string, string>; limits?: Record<string, string> };
          expect(res.requests?.cpu && res.requests?.memory && res.limits?.memory, where).toBeTruthy();
          expect(c.securityContext, where).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ["ALL"] } });
        }
      }
    });

    it(`${name}: RBAC grants the watcher only its list and cert-manager only its Secret; nobody else anything`, () => {
      const objects = overlay(name);
      const roles = new Map(objects.filter((o) => o.kind === "ClusterRole" || o.kind === "Role").map((o) => [`${o.kind}/${o.metadata.name}`, (o.rules as Rule[]) ?? []]));
      const grants = new Map<string, Rule[]>();
      for (const b of objects.filter((o) => o.kind === "ClusterRoleBinding" || o.kind === "RoleBinding")) {
        const ref = b.roleRef as { kind: string; name: string };
        for (const s of b.subjects as { kind: string; name: string; namespace?: string }[]) {
          expect(s.kind).toBe("ServiceAccount");
          const rules = roles.get(`${ref.kind}/${ref.name}`);
          expect(rules, `${ref.kind} ${ref.name} exists`).toBeDefined();
          grants.set(s.name, [...(grants.get(s.name) ?? []), ...rules!]);
        }
      }
      expect([...grants.keys()].sort()).toEqual(["gatehouse-cert-manager", "gatehouse-watcher"]);
      // The Envoy client Secret (every Gateway namespace) and the CA Secret (its own namespace only).
      expect(grants.get("gatehouse-cert-manager")).toEqual(
        expect.arrayContaining([
          { apiGroups: [""], resources: ["secrets"], resourceNames: [ENVOY_CLIENT_CERT_SECRET], verbs: ["get", "update"] },
          { apiGroups: [""], resources: ["secrets"], resourceNames: ["gatehouse-ca"], verbs: ["get", "update"] },
        ]),
      );
      expect(grants.get("gatehouse-cert-manager")).toHaveLength(2);
      const caRole = objects.find((o) => o.kind === "Role" && o.metadata.name === "gatehouse-cert-manager-ca")!;
      expect(caRole.metadata.namespace).toBe("gatehouse");
      expect(objects.find((o) => o.kind === "Secret" && o.metadata.name === "gatehouse-ca")?.metadata.namespace).toBe("gatehouse");
      for (const rule of grants.get("gatehouse-watcher")!) {
        expect(rule.resourceNames).toBeUndefined();
        for (const group of rule.apiGroups ?? []) {
          for (const resource of rule.resources ?? []) {
            const allowed = WATCHER_ALLOWED[`${group}/${resource}`];
            expect(allowed, `watcher may not touch ${group}/${resource}`).toBeDefined();
            for (const verb of rule.verbs ?? []) expect(allowed, `watcher: ${verb} ${group}/${resource}`).toContain(verb);
          }
        }
      }
      // Only the two API users get a token at all.
      for (const sa of objects.filter((o) => o.kind === "ServiceAccount")) {
        const api = ["gatehouse-watcher", "gatehouse-cert-manager"].includes(sa.metadata.name);
        expect(sa.automountServiceAccountToken, sa.metadata.name).toBe(api);
      }
    });

    it(`${name}: each service is its own NATS user, with its own password and TLS to NATS`, () => {
      const objects = overlay(name);
      const users = objects.find((o) => o.kind === "Secret" && o.metadata.name.startsWith("gatehouse-nats-users"))!;
      const auth = (objects.find((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith("gatehouse-nats-config"))!.data as Record<string, string>)["auth.conf"];
      for (const service of SERVICES) {
        const d = objects.find((o) => o.kind === "Deployment" && o.metadata.name === `gatehouse-${service}`)!;
        const env = (podSpecOf(d).containers as Container[])[0].env!;
        const byName = new Map(env.map((e) => [e.name, e]));
        expect(byName.get("NATS_USER")?.value).toBe(service);
        expect(byName.get("NATS_PASSWORD")?.valueFrom?.secretKeyRef?.key).toBe(natsPasswordVariable(service));
        expect(byName.get("NATS_TLS_CA")?.value).toBeDefined();
        expect(Object.keys(users.data as object)).toContain(natsPasswordVariable(service));
        expect(auth).toContain(`{ user: "${service}", password: $${natsPasswordVariable(service)},`);
      }
    });

    it(`${name}: the xds-server Service is where rendered bootstraps point`, () => {
      const xds = deployedXdsServer("gatehouse");
      const svc = overlay(name).find((o) => o.kind === "Service" && o.metadata.name === XDS_SERVER_SERVICE)!;
      expect(`${svc.metadata.name}.${svc.metadata.namespace}.svc`).toBe(xds.host);
      expect((svc.spec as { ports: { port: number }[] }).ports.map((p) => p.port)).toEqual([xds.port]);
      // ... and the name Envoy checks in the xds-server's certificate.
      const certManager = overlay(name).find((o) => o.kind === "Deployment" && o.metadata.name === "gatehouse-cert-manager")!;
      const names = (podSpecOf(certManager).containers as Container[])[0].args!.find((a) => a.startsWith("--xds-server-dns-names="))!;
      expect(names.split("=")[1].split(",")).toContain(xds.host);
    });

    it(`${name}: NetworkPolicies deny by default and let only Envoy proxies reach the xds-server`, () => {
      const policies = overlay(name).filter((o) => o.kind === "NetworkPolicy");
      const deny = policies.find((p) => p.metadata.name === "gatehouse-default-deny")!;
      expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
      const xds = policies.find((p) => p.metadata.name === "gatehouse-xds-server")!;
      expect((xds.spec as { ingress: unknown[] }).ingress).toEqual([
        {
          from: [{ namespaceSelector: {}, podSelector: { matchLabels: { [COMPONENT_LABEL]: PROXY_COMPONENT, [MANAGED_BY_LABEL]: MANAGED_BY } } }],
          ports: [{ port: 18000, protocol: "TCP" }],
        },
      ]);
    });
  }

  it("dev runs one replica of everything; production two of every service, PDBs, anti-affinity and three NATS nodes on volumes", () => {
    const replicas = (objects: KubeObject[], name: string) => (objects.find((o) => o.metadata.name === name && (o.kind === "Deployment" || o.kind === "StatefulSet"))!.spec as { replicas: number }).replicas;
    const dev = overlay("dev");
    const prod = overlay("production");
    for (const s of SERVICES) {
      expect(replicas(dev, `gatehouse-${s}`)).toBe(1);
      expect(replicas(prod, `gatehouse-${s}`)).toBe(2);
      const d = prod.find((o) => o.kind === "Deployment" && o.metadata.name === `gatehouse-${s}`)!;
      expect(podSpecOf(d).affinity).toHaveProperty("podAntiAffinity");
      expect(prod.some((o) => o.kind === "PodDisruptionBudget" && o.metadata.name === `gatehouse-${s}`)).toBe(true);
    }
    expect(replicas(dev, "gatehouse-nats")).toBe(1);
    expect(dev.some((o) => o.kind === "PodDisruptionBudget")).toBe(false);
    expect(replicas(prod, "gatehouse-nats")).toBe(3);
    const nats = prod.find((o) => o.kind === "StatefulSet")!;
    expect((nats.spec as { volumeClaimTemplates: { metadata: { name: string } }[] }).volumeClaimTemplates.map((v) => v.metadata.name)).toEqual(["data"]);
    expect((podSpecOf(nats).volumes as { name: string }[]).map((v) => v.name)).not.toContain("data");
    expect((podSpecOf(nats).containers as Container[])[0].args).toContain("/etc/nats/config/nats-cluster.conf");
  });
});

describe("deploy: the image's entry points", () => {
  // Inside the repository, so the bundles find node_modules as they do in the image's /app.
  const dist = path.join(REPO_ROOT, "node_modules", ".cache", "gatehouse-deploy-test");
  const present = SERVICES.filter((s) => existsSync(path.join(REPO_ROOT, "apps", s, "src/main.ts")));
  const missing = SERVICES.filter((s) => !present.includes(s));
  if (missing.length > 0) console.error(`no apps/${missing.join(", apps/")} in this tree yet: their entry points are not checked`);

  it.skipIf(!HAS_KUBECTL || !HAS_OPENSSL)("every flag and variable a Deployment passes is one the service's bundle knows", () => {
    execFileSync("node", [path.join(DEPLOY_DIR, "docker/bundle.mjs"), "--out", dist, ...present], { stdio: "ignore" });
    for (const service of present) {
      const help = execFileSync("node", [path.join(dist, `${service}.mjs`), "--help"], { encoding: "utf8" });
      const d = overlay("dev").find((o) => o.kind === "Deployment" && o.metadata.name === `gatehouse-${service}`)!;
      const c = (podSpecOf(d).containers as Container[])[0];
      expect(c.command).toEqual(["node", `/app/dist/${service}.mjs`]);
      for (const arg of c.args ?? []) expect(help, `${service} ${arg}`).toContain(arg.split("=")[0]);
      for (const e of c.env ?? []) expect(help, `${service} ${e.name}`).toContain(e.name);
    }
  });
});
