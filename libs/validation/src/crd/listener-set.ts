// ListenerSet (gateway.networking.k8s.io/v1, standard since v1.5): a parentRef to a Gateway
// and listeners shaped exactly like the Gateway's own (ListenerEntry), with the same CEL rules.
import { group, kind, namespace, objectName } from "./fields";
import { LISTENER_RULES, listener } from "./gateway";
import { arr, obj, type Node } from "./schema";

export const listenerSetSpec: Node = obj(
  {
    parentRef: obj({ group, kind, name: objectName, namespace }, { required: ["name"] }),
    listeners: arr(listener, { minItems: 1, maxItems: 64, listType: "map", mapKeys: ["name"], rules: LISTENER_RULES }),
  },
  { required: ["listeners", "parentRef"] },
);
