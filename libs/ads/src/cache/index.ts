// The xDS resource cache: generic over type URL, separate from the stream protocol.
export { ResourceCache, type CacheListener } from "./resource-cache";
export {
  XDS_TYPE_ORDER,
  compareTypeUrls,
  contentVersion,
  isFullStateType,
  setVersion,
  typeOrderIndex,
  xdsResource,
  type CacheChange,
  type XdsResource,
} from "./xds-resource";
export { clusterEdsName } from "./cluster-eds-name";
