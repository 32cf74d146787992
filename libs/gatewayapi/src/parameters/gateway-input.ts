// The parts of GatewayClasses and Gateways the infrastructure code reads. Structural, so
// objects decoded from the bus or read from the API server fit without conversion.

export interface ParametersRef {
  group?: string;
  kind?: string;
  name?: string;
  /** GatewayClass references only; a Gateway's reference is local to its namespace. */
  namespace?: string;
}

export interface GatewayClassInput {
  metadata: { name: string };
  spec: { controllerName?: string; parametersRef?: ParametersRef | null };
}

export interface GatewayListenerInput {
  name: string;
  port: number;
  protocol: string;
}

export interface GatewayInput {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; uid?: string };
  spec: {
    gatewayClassName: string;
    listeners?: GatewayListenerInput[];
    infrastructure?: {
      labels?: Record<string, string>;
      annotations?: Record<string, string>;
      parametersRef?: ParametersRef | null;
    } | null;
  };
}
