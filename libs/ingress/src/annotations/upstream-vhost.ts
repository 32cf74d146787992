// upstream-vhost: the Host header sent to the backend, as a URLRewrite hostname.
import { hostnameError } from "@gatehouse/validation";
import { NGINX, type AnnotationFamily } from "./family";

const VHOST = `${NGINX}upstream-vhost`;

export const upstreamVhost: AnnotationFamily = {
  name: "upstream-vhost",
  keys: [VHOST],
  apply(values, settings, note) {
    const v = values.get(VHOST)!.trim();
    const err = hostnameError(v, { wildcard: false });
    if (err) note(VHOST, "reported", `${err} (nginx variables and ports cannot be expressed)`);
    else {
      settings.upstreamVhost = v;
      note(VHOST, "converted", "URLRewrite hostname");
    }
  },
};
