# syntax=docker/dockerfile:1
#
# inference: each category's active model over HTTP (onnxruntime-node, CPU), port 3001; keeps
# the game's pool of machine tweets full (`generate` jobs) and runs `evaluate` jobs. One image
# for every role: INFERENCE_ROLE=all (default), gateway or worker. Models are read from
# ARTIFACT_STORE_URL (file:///artifacts, a volume shared with the trainer, by default).
#
# Build from the repository root:
#   docker build -f infra/docker/inference.Dockerfile -t ghcr.io/twitter-turing-test/inference .
# See docs/deploy-docker.md.

ARG NODE_IMAGE=node:20-bookworm-slim

# Every workspace's package.json and the lockfile, and nothing else, so the install below stays
# cached until a dependency changes.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir /out \
 && find . -name package.json -not -path '*/node_modules/*' -exec cp --parents {} /out/ \; \
 && cp package-lock.json .npmrc /out/

# All dependencies (the build needs TypeScript, Prisma's CLI, Vite), then the production closure
# of this service alone in /prod-deps (infra/docker/prod-deps.mjs). Install scripts stay off, as
# in the repository: onnxruntime-node ships its CPU binaries, and @prisma/engines would download.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV ONNXRUNTIME_NODE_INSTALL=skip NX_DAEMON=false NX_NO_CLOUD=true
COPY --from=manifests /out/ ./
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund
COPY infra/docker/prod-deps.mjs infra/docker/prod-deps.mjs
RUN node infra/docker/prod-deps.mjs copy /prod-deps services/inference

# The service and the libraries it depends on, each after its dependencies, then their
# package.json + dist/ in /prod (the Prisma client is generated into libs/db, offline).
FROM deps AS build
ENV CHECKPOINT_DISABLE=1 PRISMA_HIDE_UPDATE_MESSAGE=1
COPY tsconfig.base.json prisma.config.ts ./
COPY prisma prisma
COPY libs libs
COPY services/inference services/inference
RUN set -eu; \
    workspaces=$(node infra/docker/prod-deps.mjs order services/inference); \
    for ws in $workspaces; do npm run build -w "$ws"; done; \
    for ws in $workspaces; do mkdir -p "/prod/$ws" && cp -r "$ws/package.json" "$ws/dist" "/prod/$ws/"; done

FROM ${NODE_IMAGE} AS runtime
LABEL org.opencontainers.image.title="ttt inference" \
      org.opencontainers.image.description="Twitter Turing Test: generation with onnxruntime-node, the machine-tweet pool and model evaluation" \
      org.opencontainers.image.source="https://github.com/twitter-turing-test/twitter-turing-test"
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 ttt \
 && useradd --uid 10001 --gid 10001 --create-home --home-dir /home/ttt --shell /usr/sbin/nologin ttt \
 && mkdir -p /artifacts && chown 10001:10001 /artifacts
# A named volume mounted on /artifacts starts out owned by the service's user.
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3001 \
    ARTIFACT_STORE_URL=file:///artifacts \
    INFERENCE_CACHE_DIR=/tmp/ttt-inference-models
# Owned by root and read-only to the service's user.
COPY --from=deps /prod-deps/node_modules ./node_modules
COPY --from=build /prod/ ./
USER 10001:10001
EXPOSE 3001
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3001)+'/health',{signal:AbortSignal.timeout(2500)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# tini forwards SIGTERM to node (which drains and exits 0) and reaps orphans.
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "services/inference/dist/main.js"]
