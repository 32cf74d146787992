// The DiscoveryRequest/Response messages (SotW and Delta) as plain objects, and the gRPC
// service definition of envoy.service.discovery.v3.AggregatedDiscoveryService built from the
// protobufjs types that libs/xds already loaded (the protos are loaded once per process).
import type { ServiceDefinition } from "@grpc/grpc-js";
import { messageType } from "@gatehouse/xds";
import { encodeDeltaResponse, encodeSotwResponse, scratchBuffer } from "./response-encoding";

export interface NodeInfo {
  id?: string;
  cluster?: string;
  user_agent_name?: string;
  user_agent_version?: string;
  locality?: { region?: string; zone?: string; sub_zone?: string };
}

export interface RpcStatus {
  code?: number;
  message?: string;
}

export interface AnyMessage {
  type_url: string;
  value: Uint8Array;
}

export interface DiscoveryRequest {
  version_info?: string;
  node?: NodeInfo;
  resource_names?: string[];
  type_url?: string;
  response_nonce?: string;
  error_detail?: RpcStatus;
}

export interface DiscoveryResponse {
  version_info: string;
  resources: AnyMessage[];
  type_url: string;
  nonce: string;
}

export interface DeltaDiscoveryRequest {
  node?: NodeInfo;
  type_url?: string;
  resource_names_subscribe?: string[];
  resource_names_unsubscribe?: string[];
  initial_resource_versions?: Record<string, string>;
  response_nonce?: string;
  error_detail?: RpcStatus;
}

export interface DeltaResource {
  name: string;
  version: string;
  resource?: AnyMessage;
}

export interface DeltaDiscoveryResponse {
  system_version_info: string;
  resources: DeltaResource[];
  type_url: string;
  removed_resources: string[];
  nonce: string;
}

const PKG = "envoy.service.discovery.v3";
export const ADS_SERVICE_NAME = `${PKG}.AggregatedDiscoveryService`;

function codec<T>(typeName: string, encode?: (value: T) => Buffer) {
  const type = messageType(`${PKG}.${typeName}`);
  return {
    serialize:
      encode ??
      ((value: T): Buffer => {
        const bytes = type.encode(value as never).finish();
        return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      }),
    deserialize: (bytes: Buffer): T => type.decode(bytes) as unknown as T,
  };
}

let definition: ServiceDefinition | undefined;

/** The ADS service definition (both methods), for Server.addService and for clients. */
export function adsServiceDefinition(): ServiceDefinition {
  if (definition) return definition;
  const req = codec<DiscoveryRequest>("DiscoveryRequest");
  // Responses carry cache resources shared by every stream: their entries are encoded once,
  // and each response is assembled in a reused buffer that grpc-js copies at once.
  const scratch = scratchBuffer();
  const res = codec<DiscoveryResponse>("DiscoveryResponse", (v) => encodeSotwResponse(v, scratch));
  const dreq = codec<DeltaDiscoveryRequest>("DeltaDiscoveryRequest");
  const dres = codec<DeltaDiscoveryResponse>("DeltaDiscoveryResponse", (v) => encodeDeltaResponse(v, scratch));
  definition = {
    StreamAggregatedResources: {
      path: `/${ADS_SERVICE_NAME}/StreamAggregatedResources`,
      requestStream: true,
      responseStream: true,
      requestSerialize: req.serialize,
      requestDeserialize: req.deserialize,
      responseSerialize: res.serialize,
      responseDeserialize: res.deserialize,
    },
    DeltaAggregatedResources: {
      path: `/${ADS_SERVICE_NAME}/DeltaAggregatedResources`,
      requestStream: true,
      responseStream: true,
      requestSerialize: dreq.serialize,
      requestDeserialize: dreq.deserialize,
      responseSerialize: dres.serialize,
      responseDeserialize: dres.deserialize,
    },
  };
  return definition;
}
