# One image for the five Gatehouse services; a Deployment picks its entry point:
#   node /app/dist/<watcher|translator|ingress-converter|cert-manager|xds-server>.mjs
# Build: docker build -t ghcr.io/gatehouse-dev/gatehouse:0.1.0 .

# Stage 1: every dependency (esbuild included), then the bundles.
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY . .
RUN npm ci --ignore-scripts --no-audit --no-fund
RUN node deploy/docker/bundle.mjs --out /src/dist

# Stage 2: production dependencies only.
FROM build AS deps
RUN npm prune --omit=dev --ignore-scripts --no-audit --no-fund

# Stage 3: the runtime, non-root, nothing but the bundles, node_modules and the bus schemas.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    GATEHOUSE_PROTO_DIR=/app/proto
COPY --from=deps /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY --from=build /src/proto ./proto
COPY --from=build /src/package.json ./package.json
USER 65532:65532
ENTRYPOINT ["node"]
CMD ["/app/dist/watcher.mjs"]
