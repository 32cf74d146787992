// TLS in the IR: listener certificates (downstream) and BackendTLSPolicy (upstream).

/** A certificate and key from a Kubernetes TLS Secret, delivered to Envoy by SDS. */
export interface TLSSecret {
  /** "namespace/secretName", unique within the Gateway; the SDS secret name. */
  name: string;
  certificateChain: string;
  privateKey: string;
}

export interface DownstreamTLS {
  /** Names of TLSSecret entries, in the order of the listener's certificateRefs. */
  certificates: string[];
  /** ALPN offered to clients; "h2" and "http/1.1" for HTTPS listeners. */
  alpnProtocols: string[];
  /** Client certificates are requested and checked against these CAs (Gateway spec.tls.frontend). */
  clientValidation?: ClientValidation;
}

export interface ClientValidation {
  /** PEM bundle of the CA certificates client certificates must chain to. */
  caCertificates: string;
  /** AllowInsecureFallback: a connection without a valid client certificate is still accepted. */
  allowInsecure: boolean;
}

export interface UpstreamTLS {
  /** SNI sent to the backend and the name its certificate must carry unless subjectAltNames are given. */
  sni: string;
  /** PEM bundle of CA certificates; absent when `useSystemTrust` is set. */
  caCertificates?: string;
  useSystemTrust?: boolean;
  subjectAltNames: SubjectAltName[];
  /**
   * Name of a TLSSecret in GatewayIR.secrets that Envoy presents to the backend (the Gateway's
   * spec.tls.backend.clientCertificateRef). Absent: no client certificate.
   */
  clientCertificate?: string;
}

export type SubjectAltName = { type: "Hostname"; value: string } | { type: "URI"; value: string };
