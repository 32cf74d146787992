// Gateway API resources to IR and status conditions
