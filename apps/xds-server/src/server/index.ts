// The ADS server: streams (SotW, Delta), events, status, transport and credentials.
export { AdsServer, defaultGroupOf, type AdsServerOptions } from "./ads-server";
export type { StreamStatus, TypeStatus } from "./ads-stream";
export {
  ADS_SERVICE_NAME,
  adsServiceDefinition,
  type DeltaDiscoveryRequest,
  type DeltaDiscoveryResponse,
  type DiscoveryRequest,
  type DiscoveryResponse,
  type NodeInfo,
} from "./discovery-messages";
export type {
  AckEvent,
  ConnectEvent,
  DisconnectEvent,
  NackEvent,
  ResponseEvent,
  StreamIdentity,
  XdsEventListener,
  XdsProtocol,
} from "./events";
export { xdsMetrics, type XdsMetrics } from "./metrics";
export {
  CertificateSource,
  FileCertificateSource,
  readTlsFiles,
  sourceCredentials,
  type TlsFiles,
  type TlsMaterial,
} from "./credentials";
export {
  TRANSPORT_DEFAULTS,
  listenAds,
  transportChannelOptions,
  type RunningTransport,
  type TransportOptions,
} from "./transport";
