// backend-protocol (ingress-nginx) and nginx.org/grpc-services, nginx.org/ssl-services.
// GRPC becomes a GRPCRoute. Encryption to the backend (HTTPS, GRPCS) needs a
// BackendTLSPolicy with the backend's CA, which an Ingress does not name: reported.
import { NGINX, NGINX_ORG, parseList, type AnnotationFamily, type BackendProtocol } from "./family";

const PROTOCOL = `${NGINX}backend-protocol`;
const GRPC_SERVICES = `${NGINX_ORG}grpc-services`;
const SSL_SERVICES = `${NGINX_ORG}ssl-services`;
const NO_TLS = "backend TLS is not carried over: add a BackendTLSPolicy naming the backend's CA certificate and hostname";

export const backendProtocol: AnnotationFamily = {
  name: "backend-protocol",
  keys: [PROTOCOL, GRPC_SERVICES, SSL_SERVICES],
  apply(values, settings, note) {
    const p = values.get(PROTOCOL);
    if (p !== undefined) {
      const v = p.trim().toUpperCase();
      if (v === "HTTP") note(PROTOCOL, "converted", "");
      else if (v === "GRPC") {
        settings.protocol = "GRPC";
        note(PROTOCOL, "converted", "GRPCRoute");
      } else if (v === "HTTPS" || v === "GRPCS") {
        settings.protocol = v as BackendProtocol;
        note(PROTOCOL, "partial", `${v === "GRPCS" ? "GRPCRoute" : "HTTPRoute"}; ${NO_TLS}`);
      } else note(PROTOCOL, "reported", `protocol ${v} has no Gateway API equivalent; routed as HTTP`);
    }
    const grpc = values.get(GRPC_SERVICES);
    if (grpc !== undefined) {
      for (const s of parseList(grpc)) settings.grpcServices.add(s);
      note(GRPC_SERVICES, "converted", "paths to these Services become GRPCRoute rules");
    }
    if (values.has(SSL_SERVICES)) note(SSL_SERVICES, "reported", NO_TLS);
  },
};
