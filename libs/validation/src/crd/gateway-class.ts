// GatewayClass (gateway.networking.k8s.io/v1 and v1beta1). The CRD's only CEL rule,
// "controllerName is immutable", compares against the stored object and so cannot be
// checked on a single object; see the package README in the final report.
import { controllerName, group, kind, namespace, objectName } from "./fields";
import { obj, str, type Node } from "./schema";

export const gatewayClassSpec: Node = obj(
  {
    controllerName,
    parametersRef: obj({ group, kind, name: objectName, namespace }, { required: ["group", "kind", "name"] }),
    description: str({ maxLength: 64 }),
  },
  { required: ["controllerName"] },
);
