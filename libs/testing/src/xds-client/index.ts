// The xDS protocol test client (SotW and Delta, as Envoy speaks them).
export {
  XdsTestClient,
  type ReceivedResource,
  type ReceivedResponse,
  type XdsClientOptions,
  type XdsClientProtocol,
  type XdsClientStats,
  type XdsClientTls,
} from "./xds-test-client";
export type { ClientNode, DeltaRequest, SotwRequest } from "./messages";
