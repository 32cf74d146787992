// Gateway (gateway.networking.k8s.io/v1 and v1beta1): listeners with their TLS and
// allowedRoutes, addresses, infrastructure labels and annotations, and Gateway-level TLS,
// with every CEL rule of the CRD.
import { field, has, strOr } from "./cel";
import { group, hostname, kind, objectName, portNumber, sectionName, type Channel } from "./fields";
import { objectRefGroupKindName, secretObjectRef } from "./refs";
import { arr, dict, isIpAddress, obj, pathOf, str, type Node, type Rule } from "./schema";

const labelSelector = obj({
  matchLabels: dict(str()),
  matchExpressions: arr(
    obj({ key: str(), operator: str(), values: arr(str(), { listType: "atomic" }) }, { required: ["key", "operator"] }),
    { listType: "atomic" },
  ),
});

const allowedRoutes = obj({
  namespaces: obj({ from: str({ enum: ["All", "Selector", "Same"] }), selector: labelSelector }),
  kinds: arr(obj({ group, kind }, { required: ["kind"] }), { maxItems: 8, listType: "atomic" }),
});

const listenerTls = obj(
  {
    mode: str({ enum: ["Terminate", "Passthrough"] }),
    certificateRefs: arr(secretObjectRef, { maxItems: 64, listType: "atomic" }),
    options: dict(str({ minLength: 0, maxLength: 4096 }), { maxProperties: 16 }),
  },
  {
    rules: [
      {
        name: "listener.tls.terminate-needs-certificates",
        message: "certificateRefs or options must be specified when mode is Terminate",
        // mode defaults to Terminate.
        valid: (self) =>
          strOr(self, "mode", "Terminate") !== "Terminate" ||
          (Array.isArray(self.certificateRefs) && self.certificateRefs.length > 0) ||
          (has(self, "options") && Object.keys(self.options as object).length > 0),
      },
    ],
  },
);

export const listener = obj(
  {
    name: sectionName,
    hostname,
    port: portNumber,
    protocol: str({
      minLength: 1,
      maxLength: 255,
      // Verbatim from the CRD: only the first alternative is anchored at the start.
      pattern: /^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9]+$/,
    }),
    tls: listenerTls,
    allowedRoutes,
  },
  { required: ["name", "port", "protocol"] },
);

function tlsMode(l: unknown): string {
  return strOr(field(l, "tls"), "mode", "Terminate");
}

function sameHostname(l1: unknown, l2: unknown): boolean {
  return has(l1, "hostname") && has(l2, "hostname") ? field(l1, "hostname") === field(l2, "hostname") : !has(l1, "hostname") && !has(l2, "hostname");
}

export const LISTENER_RULES: readonly Rule[] = [
  {
    name: "listeners.no-tls-for-plain-protocols",
    message: "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']",
    valid: (self: unknown[]) => self.every((l) => !["HTTP", "TCP", "UDP"].includes(field(l, "protocol") as string) || !has(l, "tls")),
  },
  {
    name: "listeners.https-terminates",
    message: "tls mode must be Terminate for protocol HTTPS",
    valid: (self: unknown[]) =>
      self.every((l) => !(field(l, "protocol") === "HTTPS" && has(l, "tls")) || tlsMode(l) === "" || tlsMode(l) === "Terminate"),
  },
  {
    name: "listeners.tls-mode-set",
    message: "tls mode must be set for protocol TLS",
    valid: (self: unknown[]) => self.every((l) => field(l, "protocol") !== "TLS" || (has(l, "tls") && tlsMode(l) !== "")),
  },
  {
    name: "listeners.no-hostname-for-l4",
    message: "hostname must not be specified for protocols ['TCP', 'UDP']",
    valid: (self: unknown[]) =>
      self.every((l) => !["TCP", "UDP"].includes(field(l, "protocol") as string) || !has(l, "hostname") || field(l, "hostname") === ""),
  },
  {
    name: "listeners.unique-names",
    message: "Listener name must be unique within the Gateway",
    valid: (self: unknown[]) => new Set(self.map((l) => field(l, "name"))).size === self.length,
  },
  {
    name: "listeners.unique-port-protocol-hostname",
    message: "Combination of port, protocol and hostname must be unique for each listener",
    valid: (self: unknown[]) =>
      self.every(
        (l1) =>
          self.filter((l2) => field(l1, "port") === field(l2, "port") && field(l1, "protocol") === field(l2, "protocol") && sameHostname(l1, l2))
            .length === 1,
      ),
  },
];

const HOSTNAME_PATTERN = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function addressType(a: unknown): string {
  return strOr(a, "type", "IPAddress");
}

function uniqueValues(type: string): (self: unknown[]) => boolean {
  return (self) =>
    self.every((a1) => {
      if (addressType(a1) !== type || !has(a1, "value")) return true;
      return self.filter((a2) => addressType(a2) === type && has(a2, "value") && field(a2, "value") === field(a1, "value")).length === 1;
    });
}

const address = obj(
  {
    type: str({
      minLength: 1,
      maxLength: 253,
      pattern:
        /^Hostname|IPAddress|NamedAddress|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/,
    }),
    value: str({ maxLength: 253 }),
  },
  {
    // The schema's oneOf: an IPAddress (the default type) must hold an IP literal.
    check: (v, ctx) => {
      const a = v as Record<string, unknown>;
      if (addressType(a) === "IPAddress" && typeof a.value === "string" && !isIpAddress(a.value)) {
        ctx.out.push({
          path: pathOf(ctx, "value"),
          message: `Invalid value: ${JSON.stringify(a.value)}: must be an IPv4 or IPv6 address when type is IPAddress`,
          reason: "FieldValueInvalid",
          rule: "oneOf",
        });
      }
    },
    rules: [
      {
        name: "address.hostname-characters",
        message:
          "Hostname value must be empty or contain only valid characters (matching ^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$)",
        valid: (self) => addressType(self) !== "Hostname" || !has(self, "value") || HOSTNAME_PATTERN.test(self.value as string),
      },
    ],
  },
);

const addresses = arr(address, {
  maxItems: 16,
  listType: "atomic",
  rules: [
    { name: "addresses.unique-ip", message: "IPAddress values must be unique", valid: uniqueValues("IPAddress") },
    { name: "addresses.unique-hostname", message: "Hostname values must be unique", valid: uniqueValues("Hostname") },
  ],
});

const QUALIFIED_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$/;

function keyRules(what: "Annotation" | "Label", noun: "annotation" | "label"): Rule[] {
  return [
    {
      name: `infrastructure.${noun}s.key-format`,
      message: `${what} keys must be in the form of an optional DNS subdomain prefix followed by a required name segment of up to 63 characters.`,
      valid: (self) => Object.keys(self).every((k) => QUALIFIED_KEY.test(k)),
    },
    {
      name: `infrastructure.${noun}s.key-prefix-length`,
      message: `If specified, the ${noun} key's prefix must be a DNS subdomain not longer than 253 characters in total.`,
      valid: (self) => Object.keys(self).every((k) => k.split("/")[0].length < 253),
    },
  ];
}

const infrastructure = obj({
  labels: dict(str({ minLength: 0, maxLength: 63, pattern: /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/ }), {
    maxProperties: 8,
    rules: keyRules("Label", "label"),
  }),
  annotations: dict(str({ minLength: 0, maxLength: 4096 }), { maxProperties: 16, rules: keyRules("Annotation", "annotation") }),
  parametersRef: obj({ group, kind, name: objectName }, { required: ["group", "kind", "name"] }),
});

const frontendValidation = obj(
  {
    caCertificateRefs: arr(objectRefGroupKindName, { minItems: 1, maxItems: 16, listType: "atomic" }),
    mode: str({ enum: ["AllowValidOnly", "AllowInsecureFallback"] }),
  },
  { required: ["caCertificateRefs"] },
);

const gatewayTls = obj({
  backend: obj({ clientCertificateRef: secretObjectRef }),
  frontend: obj(
    {
      default: obj({ validation: frontendValidation }),
      perPort: arr(obj({ port: portNumber, tls: obj({ validation: frontendValidation }) }, { required: ["port", "tls"] }), {
        maxItems: 64,
        listType: "map",
        mapKeys: ["port"],
        rules: [
          {
            name: "tls.frontend.perPort.unique-port",
            message: "Port for TLS configuration must be unique within the Gateway",
            valid: (self: unknown[]) => new Set(self.map((t) => field(t, "port"))).size === self.length,
          },
        ],
      }),
    },
    { required: ["default"] },
  ),
});

const allowedListeners = obj({
  namespaces: obj({ from: str({ enum: ["All", "Selector", "Same", "None"] }), selector: labelSelector }),
});

function gatewaySpecFor(channel: Channel): Node {
  const props: Record<string, Node> = {
    gatewayClassName: objectName,
    listeners: arr(listener, { minItems: 1, maxItems: 64, listType: "map", mapKeys: ["name"], rules: LISTENER_RULES }),
    addresses,
    infrastructure,
    tls: gatewayTls,
    allowedListeners,
  };
  // defaultScope is experimental; the standard CRD prunes it.
  if (channel === "experimental") props.defaultScope = str({ enum: ["All", "None"] });
  return obj(props, { required: ["gatewayClassName", "listeners"] });
}

export const gatewaySpec = { standard: gatewaySpecFor("standard"), experimental: gatewaySpecFor("experimental") };

