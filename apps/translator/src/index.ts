// Translates resources to per-Gateway IR and status
