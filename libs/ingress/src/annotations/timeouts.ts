// Proxy timeouts. nginx's read and send timeouts bound the gap between two reads or writes;
// Gateway API has only whole-request timeouts, so the larger of the two becomes
// timeouts.backendRequest (a bound on the whole response: partial). There is no connect
// timeout in Gateway API.
import { NGINX, NGINX_ORG, type AnnotationFamily } from "./family";

const READ = [`${NGINX}proxy-read-timeout`, `${NGINX_ORG}proxy-read-timeout`];
const SEND = [`${NGINX}proxy-send-timeout`, `${NGINX_ORG}proxy-send-timeout`];
const CONNECT = [`${NGINX}proxy-connect-timeout`, `${NGINX_ORG}proxy-connect-timeout`];

/** Seconds from "60" (ingress-nginx) or "60s", "1m", "500ms" (nginx.org). */
export function parseNginxSeconds(value: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2] ?? "s";
  return unit === "ms" ? n / 1000 : unit === "m" ? n * 60 : unit === "h" ? n * 3600 : n;
}

/** A Gateway API duration (e.g. "90s", "1500ms") for `seconds`. */
export function gatewayDuration(seconds: number): string {
  return Number.isInteger(seconds) ? `${seconds}s` : `${Math.round(seconds * 1000)}ms`;
}

export const timeouts: AnnotationFamily = {
  name: "proxy timeouts",
  keys: [...READ, ...SEND, ...CONNECT],
  apply(values, settings, note) {
    let longest: number | undefined;
    const used: string[] = [];
    for (const [key, value] of values) {
      const seconds = parseNginxSeconds(value);
      if (seconds === undefined || seconds <= 0) {
        note(key, "reported", `not a duration: ${JSON.stringify(value)}`);
        continue;
      }
      if (CONNECT.includes(key)) {
        note(key, "reported", "Gateway API has no connect timeout");
        continue;
      }
      used.push(key);
      longest = Math.max(longest ?? 0, seconds);
    }
    if (longest === undefined) return;
    // Gateway API durations go up to 9999h; beyond, nginx would still wait, so leave unset.
    settings.backendRequestTimeout = gatewayDuration(longest);
    for (const key of used) {
      note(key, "partial", `timeouts.backendRequest ${settings.backendRequestTimeout}: a bound on the whole response, where nginx bounds each read or write`);
    }
  },
};
