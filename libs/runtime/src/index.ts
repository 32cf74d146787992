// Configuration, logging, health and metrics server, shutdown
