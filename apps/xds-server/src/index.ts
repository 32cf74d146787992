// Aggregated Discovery Service for Envoy
