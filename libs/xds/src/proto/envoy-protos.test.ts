import { describe, expect, it } from "vitest";
import protobuf from "protobufjs";
import { TYPE_URLS, envoyProtoLoadMs, envoyProtos, messageType } from "./envoy-protos";

describe("Envoy protos", () => {
  it("loads once per process and measures the load", () => {
    const root = envoyProtos();
    expect(envoyProtos()).toBe(root);
    expect(envoyProtoLoadMs()).toBeGreaterThan(0);
    for (const url of Object.values(TYPE_URLS)) expect(messageType(url).fullName).toBe(`.${url.split("/")[1]}`);
  });

  it("registers validate.proto's extensions on descriptor.proto's option messages", () => {
    const root = envoyProtos();
    const rules = root.lookupType("google.protobuf.FieldOptions").fields[".validate.rules"];
    expect(rules?.id).toBe(1071);
    expect(rules?.resolvedType).toBe(root.lookupType("validate.FieldRules"));
    expect(root.lookupType("google.protobuf.OneofOptions").fields[".validate.required"]?.id).toBe(1071);
  });

  it("keeps (validate.rules) on fields and (validate.required) on oneofs, nested rules included", () => {
    expect(messageType("envoy.config.cluster.v3.Cluster").fields.name.parsedOptions).toEqual([
      { "(validate.rules)": { string: { min_len: 1 } } },
    ]);
    const socket = messageType("envoy.config.core.v3.SocketAddress");
    expect(socket.fields.port_value.parsedOptions).toEqual([{ "(validate.rules)": { uint32: { lte: 65535 } } }]);
    expect(socket.oneofs.port_specifier.parsedOptions).toEqual([{ "(validate.required)": true }]);
    const removed = messageType("envoy.config.route.v3.VirtualHost").fields.request_headers_to_remove;
    expect(removed.parsedOptions).toEqual([
      { "(validate.rules)": { repeated: { items: { string: { min_len: 1, well_known_regex: "HTTP_HEADER_NAME", strict: false } } } } },
    ]);
  });

  it("keeps snake_case field names (keepCase), as Envoy's config dump uses", () => {
    const hcm = messageType("envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager");
    expect(hcm.fields.stat_prefix).toBeInstanceOf(protobuf.Field);
    expect(hcm.fields.statPrefix).toBeUndefined();
  });
});
