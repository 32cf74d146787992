import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { collectManifests, formatManifestError } from "@gatehouse/kube";
import { resourceSetFrom, translate, type StatusUpdate } from "./index";

const CONTROLLER = "gatehouse.dev/gatewayclass-controller";
const b64 = (s: string) => Buffer.from(s).toString("base64");
const cert = b64(readFileSync(new URL("./testdata/ec-cert.pem", import.meta.url), "utf8"));
const key = b64(readFileSync(new URL("./testdata/ec-key.pem", import.meta.url), "utf8"));
const text = readFileSync(new URL("./testdata/gateway-status.yaml", import.meta.url), "utf8").replaceAll("<cert>", cert).replaceAll("<key>", key);
const manifests = collectManifests([{ source: "gateway-status.yaml", text }]);

type Cond = { type: string; status: string; reason: string };
type ListenerStatus = { name: string; attachedRoutes: number; conditions: Cond[] };

const result = translate(resourceSetFrom(manifests.objects), { controllerName: CONTROLLER });

function gateway(name: string): { conditions: Cond[]; listeners: ListenerStatus[] } {
  const s = result.statuses.find((u: StatusUpdate) => u.kind === "Gateway" && u.name === name);
  expect(s, `Gateway ${name} has a status`).toBeDefined();
  return s!.status as { conditions: Cond[]; listeners: ListenerStatus[] };
}
/** "Type=Status/Reason" of every condition, in order. */
const briefs = (conds: Cond[]) => conds.map((c) => `${c.type}=${c.status}/${c.reason}`);
const brief = (conds: Cond[], type: string) => briefs(conds.filter((c) => c.type === type))[0];
const listener = (gw: string, name: string) => gateway(gw).listeners.find((l) => l.name === name)!;
const hasIR = (name: string) => result.irs.some((ir) => ir.gateway.name === name);

describe("Gateway and listener status", () => {
  it("reads its fixture without errors", () => {
    expect(manifests.errors.map(formatManifestError)).toEqual([]);
  });

  it("rejects a Gateway whose only listener has an unsupported protocol", () => {
    const gw = gateway("only-unsupported");
    expect(brief(gw.conditions, "Accepted")).toBe("Accepted=False/ListenersNotValid");
    expect(brief(gw.conditions, "Programmed")).toBe("Programmed=False/Invalid");
    expect(brief(listener("only-unsupported", "sctp").conditions, "Accepted")).toBe("Accepted=False/UnsupportedProtocol");
    expect(hasIR("only-unsupported")).toBe(false);
  });

  it("accepts a Gateway with some supported listeners, with reason ListenersNotValid", () => {
    const gw = gateway("mixed-protocols");
    expect(brief(gw.conditions, "Accepted")).toBe("Accepted=True/ListenersNotValid");
    expect(gw.conditions.find((c) => c.type === "Accepted")!).toMatchObject({ message: expect.stringContaining("sctp (UnsupportedProtocol)") });
    expect(brief(gw.conditions, "Programmed")).toBe("Programmed=True/Programmed");
    expect(briefs(listener("mixed-protocols", "http").conditions)).toEqual([
      "Accepted=True/Accepted",
      "Programmed=True/Programmed",
      "ResolvedRefs=True/ResolvedRefs",
    ]);
    expect(hasIR("mixed-protocols")).toBe(true);
  });

  it("lets a listener with an unusable certificate take nothing from the valid one it would conflict with", () => {
    expect(briefs(listener("conflict-with-invalid-ref", "passthrough").conditions)).toEqual([
      "Accepted=True/Accepted",
      "Programmed=True/Programmed",
      "ResolvedRefs=True/ResolvedRefs",
    ]);
    // Its configuration is valid, it waits for its Secret: Accepted, not Programmed, not Conflicted.
    expect(briefs(listener("conflict-with-invalid-ref", "https-missing").conditions)).toEqual([
      "ResolvedRefs=False/InvalidCertificateRef",
      "Accepted=True/Accepted",
      "Programmed=False/Invalid",
    ]);
    const gw = gateway("conflict-with-invalid-ref");
    expect(brief(gw.conditions, "Accepted")).toBe("Accepted=True/Accepted");
    expect(brief(gw.conditions, "ResolvedRefs")).toBe("ResolvedRefs=False/ListenersNotResolved");
    expect(brief(gw.conditions, "Programmed")).toBe("Programmed=True/Programmed");
  });

  it("accepts none of the listeners that conflict, and names them on the Gateway", () => {
    for (const name of ["https", "passthrough"]) {
      expect(briefs(listener("conflicted", name).conditions)).toEqual([
        "Conflicted=True/ProtocolConflict",
        "Accepted=False/Invalid",
        "Programmed=False/Invalid",
        "ResolvedRefs=True/ResolvedRefs",
      ]);
    }
    const gw = gateway("conflicted");
    expect(brief(gw.conditions, "Accepted")).toBe("Accepted=True/ListenersNotValid");
    const message = gw.conditions.find((c) => c.type === "Accepted")!;
    expect(message).toMatchObject({ message: "2 of 3 listeners are not valid: https (ProtocolConflict), passthrough (ProtocolConflict); accepted: http" });
  });

  it("rejects a Gateway with nothing but conflicted listeners, and routes find no listener there", () => {
    const gw = gateway("all-conflicted");
    expect(brief(gw.conditions, "Accepted")).toBe("Accepted=False/ListenersNotValid");
    expect(brief(gw.conditions, "Programmed")).toBe("Programmed=False/Invalid");
    expect(hasIR("all-conflicted")).toBe(false);
    const route = result.statuses.find((u) => u.kind === "HTTPRoute" && u.name === "web")!;
    const parents = route.status.parents as { parentRef: { name: string }; conditions: Cond[] }[];
    expect(brief(parents.find((p) => p.parentRef.name === "all-conflicted")!.conditions, "Accepted")).toBe("Accepted=True/Accepted");
    expect(listener("all-conflicted", "http").attachedRoutes).toBe(1);
  });

  it("keeps a Gateway accepted but not programmed when its listeners only wait for references", () => {
    const gw = gateway("nothing-programmed");
    expect(brief(gw.conditions, "Accepted")).toBe("Accepted=True/Accepted");
    expect(brief(gw.conditions, "Programmed")).toBe("Programmed=False/Invalid");
    expect(brief(gw.conditions, "ResolvedRefs")).toBe("ResolvedRefs=False/ListenersNotResolved");
  });

  it("does not accept a listener whose own configuration is invalid", () => {
    expect(briefs(listener("invalid-listener", "http-selector").conditions)).toEqual([
      "Programmed=False/Invalid",
      "Accepted=False/Invalid",
      "ResolvedRefs=True/ResolvedRefs",
    ]);
    const gw = gateway("invalid-listener");
    expect(brief(gw.conditions, "Accepted")).toBe("Accepted=True/ListenersNotValid");
    expect(brief(gw.conditions, "ResolvedRefs")).toBe("ResolvedRefs=True/ResolvedRefs");
  });
});
