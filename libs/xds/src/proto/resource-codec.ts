// The one gate every Envoy resource passes before it can be published: proto3 JSON is
// converted strictly, validated against the PGV rules in Envoy's protos, and encoded to
// canonical bytes whose hash is the resource's version. A resource that fails here never
// reaches a proxy; the error carries every issue with its path for the route or listener
// status.
import { createHash } from "node:crypto";
import protobuf from "protobufjs";
import { messageType } from "./envoy-protos";
import { fromJSONType } from "./proto-json";
import { toJSON } from "./proto-json-out";
import { ProtoJsonError } from "./json-scalars";
import { validateMessage } from "../validate/validator";
import type { ValidationIssue } from "../validate/validation-issue";

export interface EncodedResource {
  /** The resource name Envoy knows it by (`name`, or `cluster_name` of a ClusterLoadAssignment). */
  name: string;
  typeUrl: string;
  /** Canonical protobuf encoding, the `value` of the Any in a DiscoveryResponse. */
  bytes: Uint8Array;
  /** Content hash of `bytes`: the same content always gets the same version. */
  version: string;
  /** The proto3 JSON the resource was built from (already proven exact by the conversion). */
  json: object;
}

/** A resource Envoy would reject. `issues` say where and why; nothing of it may be published. */
export class ResourceValidationError extends Error {
  constructor(
    readonly typeUrl: string,
    readonly resourceName: string,
    readonly issues: readonly ValidationIssue[],
  ) {
    const shown = issues.slice(0, 5).map((i) => `${i.path || "(root)"}: ${i.message} [${i.rule}]`);
    const more = issues.length > 5 ? `; and ${issues.length - 5} more` : "";
    super(`invalid ${shortType(typeUrl)} ${JSON.stringify(resourceName)}: ${shown.join("; ")}${more}`);
    this.name = "ResourceValidationError";
  }
}

function shortType(typeUrl: string): string {
  return typeUrl.slice(typeUrl.lastIndexOf(".") + 1);
}

/** Name of a resource message: every xDS resource type has `name`, but endpoints have `cluster_name`. */
function resourceName(message: Record<string, unknown>, json: unknown): string {
  const fromMessage = message.name ?? message.cluster_name;
  if (typeof fromMessage === "string" && fromMessage !== "") return fromMessage;
  const j = json as Record<string, unknown> | null;
  const fromJson = j?.name ?? j?.cluster_name;
  return typeof fromJson === "string" ? fromJson : "";
}

/**
 * Converts, validates and encodes one resource. Throws ResourceValidationError when the
 * JSON does not fit the proto (unknown field, wrong type) or breaks a PGV rule.
 */
export function encodeResource(typeUrl: string, json: object): EncodedResource {
  const type = messageType(typeUrl);
  let message: protobuf.Message;
  try {
    message = fromJSONType(type, json);
  } catch (err) {
    if (err instanceof ProtoJsonError) {
      throw new ResourceValidationError(typeUrl, resourceName({}, json), [
        { path: err.path, rule: err.rule, message: err.message.slice(err.message.indexOf(": ") + 2) },
      ]);
    }
    throw err;
  }
  const name = resourceName(message as unknown as Record<string, unknown>, json);
  const issues = validateMessage(type, message);
  if (issues.length > 0) throw new ResourceValidationError(typeUrl, name, issues);
  const bytes = type.encode(message).finish();
  return { name, typeUrl, bytes, version: resourceVersion(bytes), json };
}

/** Decodes resource bytes back to proto3 JSON (the inverse of encodeResource, up to defaults). */
export function decodeResource(typeUrl: string, bytes: Uint8Array): Record<string, unknown> {
  return toJSON(typeUrl, messageType(typeUrl).decode(bytes));
}

/** The version of a resource: sha256 of its canonical bytes, 16 hex digits. */
export function resourceVersion(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex").slice(0, 16);
}
