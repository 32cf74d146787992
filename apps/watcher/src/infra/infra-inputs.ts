// What the infrastructure applier renders from, kept from the informers' events: our
// GatewayClasses, every Gateway, every ProxyConfig and the cluster's IP families (Service
// default/kubernetes). Each change answers which Gateways it affects, so a ProxyConfig edit
// re-renders only the Gateways whose parametersRef chain names it.
import { CLUSTER_SERVICE, PROXY_CONFIG_GROUP, PROXY_CONFIG_KIND, type GatewayClassInput, type GatewayInput, type ParametersRef } from "@gatehouse/gatewayapi";
import { clusterFactsIpFamilies, type ClusterFacts } from "@gatehouse/infra";
import type { ApiObject, InformerEventType } from "@gatehouse/kube-client";

export type GatewayObject = GatewayInput & ApiObject;

const nsName = (namespace: string, name: string) => `${namespace}/${name}`;

/** The (namespace, name) of a ProxyConfig a reference names, or undefined when it names something else. */
function proxyConfigKey(ref: ParametersRef | null | undefined, namespace: string | undefined): string | undefined {
  if (!ref || ref.group !== PROXY_CONFIG_GROUP || ref.kind !== PROXY_CONFIG_KIND || !ref.name || !namespace) return undefined;
  return nsName(namespace, ref.name);
}

export class InfraInputs {
  readonly classes = new Map<string, GatewayClassInput>();
  readonly gateways = new Map<string, GatewayObject>();
  readonly proxyConfigs = new Map<string, unknown>();
  private clusterFamilies: ClusterFacts["ipFamilies"] = [];

  constructor(private readonly controllerName: string) {}

  get ipFamilies(): ClusterFacts["ipFamilies"] {
    return this.clusterFamilies;
  }

  /** The ProxyConfig lookup of resolveProxyParameters. */
  readonly lookup = (namespace: string, name: string): unknown => this.proxyConfigs.get(nsName(namespace, name));

  /** Our class of a Gateway, or undefined when the Gateway is not ours. */
  classOf(gateway: GatewayInput): GatewayClassInput | undefined {
    return this.classes.get(gateway.spec?.gatewayClassName);
  }

  /**
   * Records a change; returns the keys ("namespace/name") of the Gateways whose rendering it
   * may change (a removed Gateway included, so the applier forgets it).
   */
  update(type: InformerEventType, obj: ApiObject): string[] {
    const deleted = type === "deleted";
    const ns = obj.metadata.namespace ?? "";
    switch (obj.kind) {
      case "Gateway": {
        const key = nsName(ns, obj.metadata.name);
        const before = this.gateways.get(key);
        if (deleted) this.gateways.delete(key);
        else this.gateways.set(key, obj as GatewayObject);
        // A status write (ours, after every translation) changes neither uid nor generation,
        // and rendering reads neither status nor anything else that changes without them.
        if (!deleted && before && before.metadata.uid === obj.metadata.uid && before.metadata.generation !== undefined && before.metadata.generation === obj.metadata.generation) return [];
        return [key];
      }
      case "GatewayClass": {
        const name = obj.metadata.name;
        const ours = !deleted && (obj as unknown as GatewayClassInput).spec?.controllerName === this.controllerName;
        if (!ours && !this.classes.has(name)) return [];
        if (ours) this.classes.set(name, obj as unknown as GatewayClassInput);
        else this.classes.delete(name);
        return this.gatewaysWhere((gw) => gw.spec?.gatewayClassName === name);
      }
      case "ProxyConfig": {
        const key = nsName(ns, obj.metadata.name);
        if (deleted) this.proxyConfigs.delete(key);
        else this.proxyConfigs.set(key, obj);
        return this.gatewaysWhere((gw) => {
          const cls = this.classes.get(gw.spec?.gatewayClassName);
          if (!cls) return false;
          const classRef = cls.spec.parametersRef;
          return proxyConfigKey(classRef, classRef?.namespace) === key || proxyConfigKey(gw.spec?.infrastructure?.parametersRef, gw.metadata.namespace) === key;
        });
      }
      case "Service": {
        if (ns !== CLUSTER_SERVICE.namespace || obj.metadata.name !== CLUSTER_SERVICE.name) return [];
        const families = deleted ? [] : clusterFactsIpFamilies(obj);
        if (JSON.stringify(families) === JSON.stringify(this.clusterFamilies)) return [];
        this.clusterFamilies = families;
        return [...this.gateways.keys()];
      }
      default:
        return [];
    }
  }

  private gatewaysWhere(test: (gw: GatewayObject) => boolean): string[] {
    return [...this.gateways].filter(([, gw]) => test(gw)).map(([key]) => key);
  }
}
