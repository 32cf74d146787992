// Test fixtures: nats-server, xDS protocol client
