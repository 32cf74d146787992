// Renders `translate --output xds`. Placeholder until libs/xds lands (owner: xds translation).
export function renderXdsOutput(): string {
  throw new Error("--output xds is not available yet");
}
