// Names shared by the benchmark's processes.
export const NAMESPACE = "bench";
export const GROUP = "bench/gw";
