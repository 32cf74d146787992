// The ADS server: streams (SotW, Delta), events, status, transport and credentials.
//
//   const cache = new ResourceCache();                       // @gatehouse/ads (its cache)
//   const ads = new AdsServer({ cache, logger, registry });
//   ads.addEventListener({ onAck, onNack, onConnect, onDisconnect });
//   const running = await listenAds(ads, { port: 18000, tls: { source, requireClientCertificate: true } });
//   cache.setGroupSnapshot("ns/gateway", { [TYPE_URLS.cluster]: [...], [TYPE_URLS.listener]: [...] });
//   cache.updateResources("ns/gateway", TYPE_URLS.endpoint, [cla], []);   // endpoint fast path
//   ads.status();                                             // connected proxies, ACKed versions
//   source.update({ cert, key, ca });                         // new handshakes only; streams stay
//   await running.shutdown();
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
  type TlsFiles,
  type TlsMaterial,
} from "./credentials";
export { tlsRejectionReason, type TlsRejection, type TlsRejectionReason } from "./tls-front";
export {
  TRANSPORT_DEFAULTS,
  listenAds,
  transportChannelOptions,
  type RunningTransport,
  type TransportOptions,
} from "./transport";
