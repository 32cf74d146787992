import { describe, expect, it } from "vitest";
import { availabilityVerdict } from "./proxy-availability";
import type { KubeObject } from "./kube-types";

const deployment = (status: unknown) => ({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "gatehouse-gw", namespace: "apps" }, status }) as KubeObject;

describe("availabilityVerdict", () => {
  it("leaves Programmed alone while one replica is available, even during a rollout", () => {
    expect(availabilityVerdict(deployment({ replicas: 3, readyReplicas: 1, availableReplicas: 1 }), "gatehouse-gw")).toBeUndefined();
  });

  it("gives NoResources for a missing Deployment", () => {
    expect(availabilityVerdict(undefined, "gatehouse-gw")).toEqual({
      reason: "NoResources",
      message: "Deployment replicas unavailable: no proxy Deployment gatehouse-gw applied by Gatehouse is found",
    });
  });

  it("gives NoResources when no replica is available, counting ready ones for the message", () => {
    expect(availabilityVerdict(deployment({ replicas: 2, readyReplicas: 1 }), "gatehouse-gw")).toEqual({
      reason: "NoResources",
      message: "Deployment replicas unavailable: the proxy Deployment gatehouse-gw has none of its 2 replicas available (1 ready)",
    });
  });

  it("reads a Deployment without status, scaled to zero or with counts of the wrong type as having none available", () => {
    for (const status of [undefined, null, {}, { replicas: 0 }, { availableReplicas: "2", replicas: 2 }, { availableReplicas: -1 }, "broken"]) {
      expect(availabilityVerdict(deployment(status), "gatehouse-gw")?.reason, JSON.stringify(status)).toBe("NoResources");
    }
    expect(availabilityVerdict(deployment({}), "gatehouse-gw")?.message).toBe("Deployment replicas unavailable: the proxy Deployment gatehouse-gw has no replicas");
  });
});
