# syntax=docker/dockerfile:1
#
# trainer, CPU variant: `train` jobs, port 3004. Node drives services/trainer/python (PyTorch),
# exports ONNX and registers model versions; Python 3 + torch + numpy + onnx come from Debian
# bookworm, as the repository installs them (torch 1.13, OpenBLAS, jemalloc). Small models on
# the CPU; for a GPU use trainer-cuda.Dockerfile (tag :cuda). Run folders (checkpoints a killed
# run resumes from) live in TRAINER_WORK_DIR: mount a volume there.
#
# Build from the repository root:
#   docker build -f infra/docker/trainer.Dockerfile -t ghcr.io/twitter-turing-test/trainer .
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
RUN node infra/docker/prod-deps.mjs copy /prod-deps services/trainer

# The service and the libraries it depends on, each after its dependencies, then their
# package.json + dist/ in /prod (the Prisma client is generated into libs/db, offline).
FROM deps AS build
ENV CHECKPOINT_DISABLE=1 PRISMA_HIDE_UPDATE_MESSAGE=1
COPY tsconfig.base.json prisma.config.ts ./
COPY prisma prisma
COPY libs libs
COPY services/trainer services/trainer
RUN set -eu; \
    workspaces=$(node infra/docker/prod-deps.mjs order services/trainer); \
    for ws in $workspaces; do npm run build -w "$ws"; done; \
    for ws in $workspaces; do mkdir -p "/prod/$ws" && cp -r "$ws/package.json" "$ws/dist" "/prod/$ws/"; done; \
    mkdir -p /prod/services/trainer/python; \
    cp -r services/trainer/python/ttt_trainer /prod/services/trainer/python/

FROM ${NODE_IMAGE} AS runtime
LABEL org.opencontainers.image.title="ttt trainer" \
      org.opencontainers.image.description="Twitter Turing Test: train jobs with PyTorch on the CPU (Debian torch), ONNX export, model registration" \
      org.opencontainers.image.source="https://github.com/twitter-turing-test/twitter-turing-test"
# libopenblas0-pthread: torch's matmuls in a fast BLAS (~20x the reference one); libjemalloc2:
# preloaded by the trainer for the Python process when present (see python-runtime.ts).
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
      python3 python3-torch python3-numpy python3-onnx libopenblas0-pthread libjemalloc2 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 ttt \
 && useradd --uid 10001 --gid 10001 --create-home --home-dir /home/ttt --shell /usr/sbin/nologin ttt \
 && mkdir -p /artifacts /var/lib/ttt/trainer && chown 10001:10001 /artifacts /var/lib/ttt/trainer \
 && python3 -c 'import torch, numpy, onnx; print("torch", torch.__version__, "numpy", numpy.__version__, "onnx", onnx.__version__)'
# Named volumes mounted on /artifacts and /var/lib/ttt/trainer start out owned by the service's user.
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3004 \
    ARTIFACT_STORE_URL=file:///artifacts \
    TRAINER_PYTHON=/usr/bin/python3 \
    TRAINER_WORK_DIR=/var/lib/ttt/trainer \
    TRAINER_DEVICE=cpu
# Owned by root and read-only to the service's user.
COPY --from=deps /prod-deps/node_modules ./node_modules
COPY --from=build /prod/ ./
USER 10001:10001
EXPOSE 3004
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3004)+'/health',{signal:AbortSignal.timeout(2500)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# tini forwards SIGTERM to node (which drains and exits 0) and reaps orphans (the trainer's
# Python children among them).
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "services/trainer/dist/main.js"]
