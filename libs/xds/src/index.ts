// Envoy protos, IR to Envoy resources, PGV validation, resource cache
