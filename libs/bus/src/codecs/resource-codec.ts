// `resources` and `derived`: one Kubernetes object per key, as JSON in a typed envelope.
import type { KubeObject } from "@gatehouse/kube";
import type { Codec } from "./codec";
import { ResourceSchema } from "../gen/gatehouse/bus/v1/resource_pb";
import { DecodeError, EncodeError, jsonBytes, parseJSONBytes, ProtoMessage } from "./codec";

// The object type is libs/kube's, re-exported so bus users need one import.
export type { KubeObject };

export interface ResourceRecord {
  object: KubeObject;
  /** Where the object came from: "kubernetes" or the file that defines it. */
  source: string;
}

export const RESOURCE_SCHEMA_VERSION = 1;

export function resourceCodec(): Codec<ResourceRecord> {
  const msg = new ProtoMessage(ResourceSchema, RESOURCE_SCHEMA_VERSION);
  return {
    messageType: msg.fullName,
    encode({ object, source }) {
      if (!object?.kind || !object.apiVersion || !object.metadata?.name) {
        throw new EncodeError("a resource needs apiVersion, kind and metadata.name");
      }
      const m = object.metadata;
      return msg.encode({
        apiVersion: object.apiVersion,
        kind: object.kind,
        namespace: m.namespace ?? "",
        name: m.name,
        uid: m.uid ?? "",
        resourceVersion: m.resourceVersion ?? "",
        generation: BigInt(m.generation ?? 0),
        objectJson: jsonBytes(object),
        source,
      });
    },
    decode(bytes) {
      const p = msg.decode(bytes);
      const object = parseJSONBytes(p.objectJson, "Resource.object_json") as KubeObject;
      if (object === null || typeof object !== "object" || typeof object.metadata !== "object" || object.metadata === null) {
        throw new DecodeError("Resource.object_json is not a Kubernetes object");
      }
      if (object.kind !== p.kind || object.metadata.name !== p.name || (object.metadata.namespace ?? "") !== p.namespace) {
        throw new DecodeError(
          `Resource envelope ${p.kind} ${p.namespace}/${p.name} does not match its object`,
        );
      }
      return { object, source: p.source };
    },
  };
}
