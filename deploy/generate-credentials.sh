#!/usr/bin/env bash
# Generates the bus credentials the kustomizations read from deploy/base/credentials/ (never
# committed): a CA and the NATS server certificate (TLS for every NATS client), and one random
# password per service. Run once before the first `kubectl apply -k`; keep the files (or
# re-run with --force to rotate everything, then re-apply and restart the pods).
#   deploy/generate-credentials.sh [--force] [--out DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/base/credentials"
namespace=gatehouse  # the manifests' namespace
force=no
while [ $# -gt 0 ]; do
  case "$1" in
    --force) force=yes ;;
    --out) out="$2"; shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
if [ -e "$out/nats-users.env" ] && [ "$force" != yes ]; then
  echo "$out already holds credentials (use --force to replace them)" >&2
  exit 0
fi
command -v openssl >/dev/null || { echo "openssl is required" >&2; exit 1; }
mkdir -p "$out"
umask 077
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \
  -subj "/CN=gatehouse-nats-ca" -keyout "$tmp/ca.key" -out "$out/nats-ca.crt" 2>/dev/null
sans="DNS:gatehouse-nats,DNS:gatehouse-nats.$namespace,DNS:gatehouse-nats.$namespace.svc,DNS:gatehouse-nats.$namespace.svc.cluster.local,DNS:*.gatehouse-nats-headless.$namespace.svc.cluster.local"
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=gatehouse-nats" \
  -keyout "$out/nats-server.key" -out "$tmp/server.csr" 2>/dev/null
printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n' "$sans" > "$tmp/ext"
openssl x509 -req -in "$tmp/server.csr" -CA "$out/nats-ca.crt" -CAkey "$tmp/ca.key" -CAserial "$tmp/ca.srl" -CAcreateserial \
  -days 825 -extfile "$tmp/ext" -out "$out/nats-server.crt" 2>/dev/null

: > "$out/nats-users.env"
for service in watcher translator ingress-converter cert-manager xds-server; do
  var="$(echo "$service" | tr 'a-z-' 'A-Z_')_PASSWORD"
  # nats-server parses an environment variable's value as a configuration value: one that
  # starts with a digit is read as a number and refused, so every password starts with a letter.
  echo "$var=p$(openssl rand -hex 24)" >> "$out/nats-users.env"
done
echo "credentials written to $out"
