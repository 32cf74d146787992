import { describe, expect, it } from "vitest";
import { tlsRejectionReason } from "./tls-front";

describe("TLS rejection reasons", () => {
  it("names the reason from OpenSSL's verification result, or from the error", () => {
    const hangUp = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    expect(tlsRejectionReason(hangUp, "CERT_HAS_EXPIRED")).toBe("expired");
    expect(tlsRejectionReason(hangUp, "CERT_NOT_YET_VALID")).toBe("not-yet-valid");
    expect(tlsRejectionReason(hangUp, "UNABLE_TO_VERIFY_LEAF_SIGNATURE")).toBe("unknown-ca");
    expect(tlsRejectionReason(hangUp, "UNABLE_TO_GET_ISSUER_CERT_LOCALLY")).toBe("unknown-ca");
    expect(tlsRejectionReason(Object.assign(new Error("peer did not return a certificate"), { code: "ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE" }))).toBe("no-certificate");
    expect(tlsRejectionReason(hangUp)).toBe("other");
  });
});
