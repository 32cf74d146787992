import { describe, expect, it } from "vitest";
import { ingressStatusFor } from "./ingress-status";

describe("ingressStatusFor", () => {
  it("turns IPAddress addresses into ip and Hostname ones into hostname, in the Gateway's order", () => {
    const gateway = {
      conditions: [],
      addresses: [
        { type: "IPAddress", value: "192.0.2.10" },
        { value: "2001:db8::1" },
        { type: "Hostname", value: "LB.Example.com" },
      ],
    };
    expect(ingressStatusFor(gateway)).toEqual({ loadBalancer: { ingress: [{ ip: "192.0.2.10" }, { ip: "2001:db8::1" }, { hostname: "lb.example.com" }] } });
  });

  it("leaves out what the Ingress API would refuse and repeats nothing", () => {
    const gateway = {
      addresses: [
        { type: "IPAddress", value: "not-an-ip" },
        { type: "Hostname", value: "*.example.com" },
        { type: "example.com/custom", value: "x" },
        { type: "IPAddress", value: "192.0.2.10" },
        { type: "IPAddress", value: "192.0.2.10" },
        null,
      ],
    };
    expect(ingressStatusFor(gateway)).toEqual({ loadBalancer: { ingress: [{ ip: "192.0.2.10" }] } });
  });

  it("is an empty loadBalancer while the Gateway has no status or no address", () => {
    expect(ingressStatusFor(undefined)).toEqual({ loadBalancer: {} });
    expect(ingressStatusFor({ conditions: [] })).toEqual({ loadBalancer: {} });
  });
});
