// Checks on resources and IR: names, hostnames, ports, weights, RE2 regexes, conflicts
