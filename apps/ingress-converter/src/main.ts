// The ingress-converter service: Ingresses in `resources` to Gateway API objects in `derived`.
import { BUS_CONFIG_OPTIONS, runBusService } from "@gatehouse/bus";
import { DEFAULT_CONTROLLER_NAME } from "@gatehouse/kube";
import { DEFAULT_GATEWAY_CLASS, DEFAULT_GATEWAY_NAMESPACE, DEFAULT_INGRESS_CONTROLLER, kubeNameError, parseGatewayRef } from "@gatehouse/ingress";
import { createLogger, defineConfig } from "@gatehouse/runtime";
import { IngressConverterService } from "./wiring/converter-service";

const config = defineConfig({
  ...BUS_CONFIG_OPTIONS,
  controllerName: { type: "string", default: DEFAULT_INGRESS_CONTROLLER, description: "IngressClass spec.controller this converter serves" },
  ingressClass: { type: "list", default: [], description: 'classes to convert whatever their controller; "*" converts every Ingress' },
  gateway: {
    type: "string",
    default: "",
    description: "NAMESPACE/NAME of an existing Gateway to attach every route to (default: generate one Gateway per IngressClass)",
    validate: (v) => {
      const ref = v === "" ? undefined : parseGatewayRef(v);
      return typeof ref === "string" ? ref : undefined;
    },
  },
  gatewayClass: { type: "string", default: DEFAULT_GATEWAY_CLASS, description: "gatewayClassName of generated Gateways", validate: kubeNameError },
  gatewayNamespace: { type: "string", default: DEFAULT_GATEWAY_NAMESPACE, description: "namespace of generated Gateways", validate: kubeNameError },
  gatewayControllerName: { type: "string", default: DEFAULT_CONTROLLER_NAME, description: "controllerName of the generated GatewayClass" },
  healthPort: { type: "port", default: 8085, description: "port of /healthz, /readyz and /metrics" },
}).load({ serviceName: "ingress-converter" });

const gateway = config.gateway ? parseGatewayRef(config.gateway) : undefined;
const logger = createLogger("ingress-converter");
await runBusService({
  name: "ingress-converter",
  config,
  logger,
  component: "ingress-converter",
  create: (nc) =>
    new IngressConverterService({
      nc,
      logger,
      convert: {
        controllerName: config.controllerName,
        ingressClasses: config.ingressClass,
        gateway: typeof gateway === "object" ? gateway : undefined,
        gatewayClassName: config.gatewayClass,
        gatewayNamespace: config.gatewayNamespace,
        gatewayControllerName: config.gatewayControllerName,
      },
    }),
  readiness: { name: "initial-conversion", notReady: "initial replay and conversion not done" },
});
