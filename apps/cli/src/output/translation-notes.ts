// What a translation leaves unsaid but a user needs to hear: Gateways that get no Envoy
// configuration and why (not our class, or rejected before xDS), and the hint when the
// input's GatewayClasses all belong to another controller. Pure: messages, no printing.
import type { GatewayIR } from "@gatehouse/ir";

interface Obj {
  metadata?: { name?: string; namespace?: string };
  spec?: unknown;
}

/** What these notes read of a translation (structurally, @gatehouse/gatewayapi's types). */
export interface NotesInput {
  gatewayClasses: Map<string, Obj>;
  gateways: Map<string, Obj>;
  irs: GatewayIR[];
  statuses: { kind: string; namespace?: string; name: string; status: Record<string, unknown> }[];
  controllerName: string;
}

type Condition = { type: string; status: string; reason?: string; message?: string };

/** Why each Gateway without an IR has none, by "namespace/name". */
export function gatewaysWithoutConfig(input: NotesInput): Map<string, string> {
  const withIr = new Set(input.irs.map((ir) => `${ir.gateway.namespace}/${ir.gateway.name}`));
  const ours = new Set([...input.gatewayClasses.values()].filter((c) => controllerOf(c) === input.controllerName).map((c) => c.metadata?.name));
  const out = new Map<string, string>();
  for (const gw of input.gateways.values()) {
    const key = `${gw.metadata?.namespace ?? "default"}/${gw.metadata?.name}`;
    if (withIr.has(key)) continue;
    const className = (gw.spec as { gatewayClassName?: string } | undefined)?.gatewayClassName ?? "";
    if (!ours.has(className)) {
      const cls = [...input.gatewayClasses.values()].find((c) => c.metadata?.name === className);
      out.set(key, cls ? `GatewayClass ${className} belongs to ${controllerOf(cls)}, not ${input.controllerName}` : `GatewayClass ${JSON.stringify(className)} is not in the input`);
      continue;
    }
    const status = input.statuses.find((s) => s.kind === "Gateway" && `${s.namespace ?? "default"}/${s.name}` === key);
    const conditions = ((status?.status.conditions as Condition[] | undefined) ?? []).filter((c) => c.status !== "True" && (c.type === "Accepted" || c.type === "Programmed"));
    out.set(key, conditions.length ? conditions.map((c) => `${c.type}=${c.status} (${c.reason ?? ""}): ${c.message ?? ""}`).join("; ") : "rejected before xDS (see its status)");
  }
  return out;
}

/** A hint naming --controller-name when no GatewayClass is ours but others are present. */
export function controllerHint(input: NotesInput): string | undefined {
  const classes = [...input.gatewayClasses.values()];
  if (classes.length === 0 || classes.some((c) => controllerOf(c) === input.controllerName)) return undefined;
  const others = [...new Set(classes.map(controllerOf))].sort();
  return `no GatewayClass has controllerName ${input.controllerName}; the input's are for ${others.join(", ")}. To translate as that controller: --controller-name ${others[0]}`;
}

function controllerOf(cls: Obj): string {
  return String((cls.spec as { controllerName?: string } | undefined)?.controllerName ?? "");
}
