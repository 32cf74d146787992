// BackendTLSPolicy (gateway.networking.k8s.io/v1, and v1alpha3 with the same schema):
// target references, CA certificates or well-known CAs, and subject alternative names.
import { field, has } from "./cel";
import { group, hostname, kind, objectName, preciseHostname, sectionName } from "./fields";
import { localObjectRefGroupKindName } from "./refs";
import { arr, dict, obj, str, type Node, type Rule } from "./schema";

function sameTarget(p1: unknown, p2: unknown): boolean {
  return field(p1, "group") === field(p2, "group") && field(p1, "kind") === field(p2, "kind") && field(p1, "name") === field(p2, "name");
}

function noSection(p: unknown): boolean {
  return !has(p, "sectionName") || field(p, "sectionName") === "";
}

const TARGET_REFS_RULES: readonly Rule[] = [
  {
    name: "backendtlspolicy.targetRefs.section-when-repeated",
    message: "sectionName must be specified when targetRefs includes 2 or more references to the same target",
    valid: (self: unknown[]) => self.every((p1) => self.every((p2) => !sameTarget(p1, p2) || noSection(p1) === noSection(p2))),
  },
  {
    name: "backendtlspolicy.targetRefs.unique-section",
    message: "sectionName must be unique when targetRefs includes 2 or more references to the same target",
    valid: (self: unknown[]) =>
      self.every(
        (p1) =>
          self.filter(
            (p2) =>
              sameTarget(p1, p2) &&
              ((noSection(p1) && noSection(p2)) ||
                (has(p1, "sectionName") && has(p2, "sectionName") && field(p1, "sectionName") === field(p2, "sectionName"))),
          ).length === 1,
      ),
  },
];

const targetRef = obj({ group, kind, name: objectName, sectionName }, { required: ["group", "kind", "name"] });

const subjectAltName = obj(
  {
    type: str({ enum: ["Hostname", "URI"] }),
    hostname,
    uri: str({
      minLength: 1,
      maxLength: 253,
      pattern: /^(([^:/?#]+):)(\/\/([^/?#]*))([^?#]*)(\?([^#]*))?(#(.*))?/,
      patternText: "^(([^:/?#]+):)(//([^/?#]*))([^?#]*)(\\?([^#]*))?(#(.*))?",
    }),
  },
  {
    required: ["type"],
    rules: [
      {
        name: "subjectAltName.hostname-required",
        message: "SubjectAltName element must contain Hostname, if Type is set to Hostname",
        valid: (self) => !(self.type === "Hostname" && (!has(self, "hostname") || self.hostname === "")),
      },
      {
        name: "subjectAltName.hostname-only-for-hostname",
        message: "SubjectAltName element must not contain Hostname, if Type is not set to Hostname",
        valid: (self) => !(self.type !== "Hostname" && has(self, "hostname") && self.hostname !== ""),
      },
      {
        name: "subjectAltName.uri-required",
        message: "SubjectAltName element must contain URI, if Type is set to URI",
        valid: (self) => !(self.type === "URI" && (!has(self, "uri") || self.uri === "")),
      },
      {
        name: "subjectAltName.uri-only-for-uri",
        message: "SubjectAltName element must not contain URI, if Type is not set to URI",
        valid: (self) => !(self.type !== "URI" && has(self, "uri") && self.uri !== ""),
      },
    ],
  },
);

function hasCaRefs(self: Record<string, unknown>): boolean {
  return Array.isArray(self.caCertificateRefs) && self.caCertificateRefs.length > 0;
}

function hasWellKnown(self: Record<string, unknown>): boolean {
  return has(self, "wellKnownCACertificates") && self.wellKnownCACertificates !== "";
}

const validation = obj(
  {
    caCertificateRefs: arr(localObjectRefGroupKindName, { maxItems: 8, listType: "atomic" }),
    wellKnownCACertificates: str({
      minLength: 1,
      maxLength: 253,
      pattern:
        /^(System|([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]))$/,
    }),
    hostname: preciseHostname,
    subjectAltNames: arr(subjectAltName, { maxItems: 5, listType: "atomic" }),
  },
  {
    required: ["hostname"],
    rules: [
      {
        name: "backendtlspolicy.validation.not-both-ca-sources",
        message: "must not contain both CACertificateRefs and WellKnownCACertificates",
        valid: (self) => !(hasCaRefs(self) && hasWellKnown(self)),
      },
      {
        name: "backendtlspolicy.validation.one-ca-source",
        message: "must specify either CACertificateRefs or WellKnownCACertificates",
        valid: (self) => hasCaRefs(self) || hasWellKnown(self),
      },
    ],
  },
);

export const backendTlsPolicySpec: Node = obj(
  {
    targetRefs: arr(targetRef, { minItems: 1, maxItems: 16, listType: "atomic", rules: TARGET_REFS_RULES }),
    validation,
    options: dict(str({ minLength: 0, maxLength: 4096 }), { maxProperties: 16 }),
  },
  { required: ["targetRefs", "validation"] },
);
