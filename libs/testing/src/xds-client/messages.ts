// The discovery messages as the test client sees them, and a gRPC client definition built
// from the Envoy protos that libs/xds loads. Written apart from the server's definition on
// purpose: the test client is an independent implementation of the protocol.
import { messageType } from "@gatehouse/xds";

export interface ClientNode {
  id: string;
  cluster: string;
  locality?: { region?: string; zone?: string; sub_zone?: string };
  user_agent_name?: string;
}

export interface RpcStatus {
  code: number;
  message: string;
}

export interface SotwRequest {
  version_info?: string;
  node?: ClientNode;
  resource_names?: string[];
  type_url: string;
  response_nonce?: string;
  error_detail?: RpcStatus;
}

export interface SotwResponse {
  version_info: string;
  resources: Array<{ type_url: string; value: Uint8Array }>;
  type_url: string;
  nonce: string;
}

export interface DeltaRequest {
  node?: ClientNode;
  type_url: string;
  resource_names_subscribe?: string[];
  resource_names_unsubscribe?: string[];
  initial_resource_versions?: Record<string, string>;
  response_nonce?: string;
  error_detail?: RpcStatus;
}

export interface DeltaResponse {
  system_version_info: string;
  resources: Array<{ name: string; version: string; resource?: { type_url: string; value: Uint8Array } }>;
  type_url: string;
  removed_resources: string[];
  nonce: string;
}

const SERVICE = "/envoy.service.discovery.v3.AggregatedDiscoveryService";
export const SOTW_METHOD = `${SERVICE}/StreamAggregatedResources`;
export const DELTA_METHOD = `${SERVICE}/DeltaAggregatedResources`;

export interface Codec<T> {
  serialize(value: T): Buffer;
  deserialize(bytes: Buffer): T;
}

export function discoveryCodec<T>(name: string, onBytes?: (n: number) => void): Codec<T> {
  const type = messageType(`envoy.service.discovery.v3.${name}`);
  return {
    serialize: (value) => {
      const bytes = type.encode(value as never).finish();
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    deserialize: (bytes) => {
      onBytes?.(bytes.length);
      return type.decode(bytes) as unknown as T;
    },
  };
}
