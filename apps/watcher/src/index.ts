// Publishes Kubernetes (or file) resources to the bus
