// ssl-passthrough: TLS goes to the backend unterminated, routed by SNI: a TLSRoute on a
// Passthrough listener. Paths mean nothing then; only each host's "/" backend is used.
import { NGINX, parseBool, type AnnotationFamily } from "./family";

const PASSTHROUGH = `${NGINX}ssl-passthrough`;

export const sslPassthrough: AnnotationFamily = {
  name: "ssl-passthrough",
  keys: [PASSTHROUGH],
  apply(values, settings, note) {
    const b = parseBool(values.get(PASSTHROUGH)!);
    if (b === undefined) note(PASSTHROUGH, "reported", `expected "true" or "false", got ${JSON.stringify(values.get(PASSTHROUGH))}`);
    else {
      settings.passthrough = b;
      note(PASSTHROUGH, "converted", b ? "TLSRoute on a Passthrough listener, by SNI" : "");
    }
  },
};
