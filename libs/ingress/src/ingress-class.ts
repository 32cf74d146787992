// Which class an Ingress belongs to and whether we convert it. Order as in Kubernetes:
// spec.ingressClassName, then the legacy kubernetes.io/ingress.class annotation, then the
// IngressClass marked ingressclass.kubernetes.io/is-default-class (the newest when several are).
import { annotationsOf, type Ingress, type IngressClass } from "./ingress-types";
import type { ResolvedOptions } from "./options";

export const LEGACY_CLASS_ANNOTATION = "kubernetes.io/ingress.class";
export const DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class";

export interface ClassDecision {
  /** "" when the Ingress has no class at all. */
  className: string;
  selected: boolean;
  reason: string;
  /** The class's IngressClass names our controller: the Ingress's status is ours to write. */
  controlled: boolean;
}

export function defaultIngressClass(classes: IngressClass[]): IngressClass | undefined {
  const defaults = classes.filter((c) => annotationsOf(c)[DEFAULT_CLASS_ANNOTATION] === "true");
  // Kubernetes admits new Ingresses with the most recently created default when several exist.
  defaults.sort((a, b) => (b.metadata?.creationTimestamp ?? "").localeCompare(a.metadata?.creationTimestamp ?? "") || (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? ""));
  return defaults[0];
}

export function decideClass(ingress: Ingress, classes: Map<string, IngressClass>, defaultClass: IngressClass | undefined, opts: ResolvedOptions): ClassDecision {
  let className = "";
  let source = "";
  if (ingress.spec?.ingressClassName) {
    className = ingress.spec.ingressClassName;
    source = "spec.ingressClassName";
  } else if (annotationsOf(ingress)[LEGACY_CLASS_ANNOTATION]) {
    className = annotationsOf(ingress)[LEGACY_CLASS_ANNOTATION];
    source = `annotation ${LEGACY_CLASS_ANNOTATION}`;
  } else if (defaultClass?.metadata?.name) {
    className = defaultClass.metadata.name;
    source = "the default IngressClass";
  }
  const decision = selectClass(className, source, classes, opts);
  return { ...decision, controlled: className !== "" && classes.get(className)?.spec?.controller === opts.controllerName };
}

function selectClass(className: string, source: string, classes: Map<string, IngressClass>, opts: ResolvedOptions): Omit<ClassDecision, "controlled"> {
  const all = opts.ingressClasses.includes("*");
  if (!className) {
    return all
      ? { className, selected: true, reason: "no class; converted because every class was asked for" }
      : { className, selected: false, reason: "no ingressClassName, no class annotation and no default IngressClass" };
  }
  if (all || opts.ingressClasses.includes(className)) {
    return { className, selected: true, reason: `class ${className} (from ${source}) was asked for` };
  }
  const cls = classes.get(className);
  if (!cls) return { className, selected: false, reason: `IngressClass ${className} (from ${source}) does not exist` };
  const controller = cls.spec?.controller ?? "";
  if (controller !== opts.controllerName) {
    return { className, selected: false, reason: `IngressClass ${className} (from ${source}) belongs to controller ${controller || "(none)"}, not ${opts.controllerName}` };
  }
  return { className, selected: true, reason: `IngressClass ${className} (from ${source}) belongs to ${controller}` };
}
