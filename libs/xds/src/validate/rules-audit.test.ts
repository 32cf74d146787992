// A rule in Envoy's protos that the validator does not implement would silently not be
// enforced. This fails when any appears in the protos Gatehouse loads (for example after
// a @grpc/grpc-js-xds upgrade brings newer Envoy protos).
import { describe, expect, it } from "vitest";
import { auditValidationRules } from "./validator";

describe("PGV rules in Envoy's protos", () => {
  it("are all understood by the validator", () => {
    expect(auditValidationRules()).toEqual([]);
  });
});
