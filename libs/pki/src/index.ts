// The xDS PKI: CA and leaf issuance, CSR creation and signing, and the pure renewal
// decisions cert-manager and the xds-server act on. No I/O, no clock: callers pass `now`.
export * from "./keys";
export * from "./certificates";
export * from "./csr";
export * from "./inspect";
export * from "./renewal";
export * from "./rollover";
export * from "./retired-cas";
