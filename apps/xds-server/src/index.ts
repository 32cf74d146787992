// The xds-server app: wiring only. The ADS server and cache are @gatehouse/ads, the
// endpoint fast path is @gatehouse/endpoints; this app connects them to the bus.
export { XdsService } from "./wiring/xds-service";
