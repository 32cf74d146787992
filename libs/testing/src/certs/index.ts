// Certificates for TLS tests.
export { issueCertificate, makeCa, type TestCertificate } from "./test-pki";
