import { describe, expect, it } from "vitest";
import { controllerHint, gatewaysWithoutConfig, type NotesInput } from "./translation-notes";

const cls = (name: string, controllerName: string) => [name, { metadata: { name }, spec: { controllerName } }] as const;
const gw = (name: string, className: string) => [`default/${name}`, { metadata: { namespace: "default", name }, spec: { gatewayClassName: className } }] as const;

const input = (over: Partial<NotesInput> = {}): NotesInput => ({
  gatewayClasses: new Map([cls("eg", "gateway.envoyproxy.io/gatewayclass-controller")]),
  gateways: new Map([gw("a", "eg")]),
  irs: [],
  statuses: [],
  controllerName: "gatehouse.dev/gateway-controller",
  ...over,
});

describe("translation notes", () => {
  it("hints at --controller-name when every GatewayClass belongs to another controller", () => {
    expect(controllerHint(input())).toBe(
      "no GatewayClass has controllerName gatehouse.dev/gateway-controller; the input's are for gateway.envoyproxy.io/gatewayclass-controller. To translate as that controller: --controller-name gateway.envoyproxy.io/gatewayclass-controller",
    );
    expect(controllerHint(input({ gatewayClasses: new Map([cls("gh", "gatehouse.dev/gateway-controller"), cls("eg", "x")]) }))).toBeUndefined();
    expect(controllerHint(input({ gatewayClasses: new Map() }))).toBeUndefined();
  });

  it("says why a Gateway gets no Envoy configuration: another controller's class, or its rejection", () => {
    expect(gatewaysWithoutConfig(input())).toEqual(new Map([["default/a", "GatewayClass eg belongs to gateway.envoyproxy.io/gatewayclass-controller, not gatehouse.dev/gateway-controller"]]));
    const rejected = input({
      gatewayClasses: new Map([cls("gh", "gatehouse.dev/gateway-controller")]),
      gateways: new Map([gw("a", "gh")]),
      statuses: [{ kind: "Gateway", namespace: "default", name: "a", status: { conditions: [{ type: "Accepted", status: "False", reason: "ListenersNotValid", message: "no valid listener" }] } }],
    });
    expect(gatewaysWithoutConfig(rejected)).toEqual(new Map([["default/a", "Accepted=False (ListenersNotValid): no valid listener"]]));
  });
});
