// Every dynamic reference (RDS, EDS, SDS) goes over the one ADS stream the bootstrap opens.
import type { JsonObject } from "./json";

export function adsConfigSource(): JsonObject {
  return { ads: {}, resource_api_version: "V3" };
}
