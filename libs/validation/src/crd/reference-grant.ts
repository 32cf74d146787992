// ReferenceGrant (gateway.networking.k8s.io/v1beta1 and v1): who may refer (from) to what
// in the grant's namespace (to).
import { group, kind, namespace, objectName } from "./fields";
import { arr, obj, type Node } from "./schema";

export const referenceGrantSpec: Node = obj(
  {
    from: arr(obj({ group, kind, namespace }, { required: ["group", "kind", "namespace"] }), {
      minItems: 1,
      maxItems: 16,
      listType: "atomic",
    }),
    to: arr(obj({ group, kind, name: objectName }, { required: ["group", "kind"] }), { minItems: 1, maxItems: 16, listType: "atomic" }),
  },
  { required: ["from", "to"] },
);
