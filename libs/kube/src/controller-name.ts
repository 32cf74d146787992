/**
 * The controllerName Gatehouse acts for unless told otherwise: a GatewayClass (or IngressClass)
 * whose controller differs is left to another controller. The CLI, every service and
 * `gatehouse up` default to this one value. It lives here, not in libs/gatewayapi, so that a
 * process that only needs the name (the watcher) does not load the translator and its RE2.
 */
export const DEFAULT_CONTROLLER_NAME = "gatehouse.dev/gateway-controller";
