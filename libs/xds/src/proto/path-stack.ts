// The path of the value being converted or validated, kept as a stack of parts and joined
// only when an error or issue needs it: valid resources (the common case) then cost no
// path strings at all. Paths read like `virtual_hosts[0].routes[3].match.safe_regex.regex`
// and `typed_per_filter_config["envoy.filters.http.cors"]`.

export class PathStack {
  private readonly parts: Array<string | number> = [];

  /** A field name, a repeated index (number) or a map key part (`["key"]`). */
  push(part: string | number): void {
    this.parts.push(part);
  }

  pop(): void {
    this.parts.pop();
  }

  /** Starts a new walk (one that threw may have left parts behind). */
  reset(): void {
    this.parts.length = 0;
  }

  toString(): string {
    let out = "";
    for (const p of this.parts) {
      if (typeof p === "number") out += `[${p}]`;
      else out += out === "" || p.charCodeAt(0) === 91 /* [ */ ? p : `.${p}`;
    }
    return out;
  }
}

export function mapKeyPart(key: string): string {
  return `[${JSON.stringify(key)}]`;
}
