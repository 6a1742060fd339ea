# syntax=docker/dockerfile:1
#
# trainer, CUDA variant: the same service as trainer.Dockerfile (`train` jobs, port 3004) on an
# NVIDIA runtime base, with PyTorch from its CUDA wheel index (+ numpy, onnx) in /opt/torch and
# Node 20 copied in from the official image. torch.compile (TTT_COMPILE=1, the default on CUDA)
# needs a C compiler and Python's headers at run time (Triton builds its launcher): both are in.
# Run with a GPU: `docker run --gpus all ...`, or compose's `gpu` profile.
#
# Build from the repository root:
#   docker build -f infra/docker/trainer-cuda.Dockerfile -t ghcr.io/twitter-turing-test/trainer:cuda .
# Other CUDA / torch pairs: --build-arg CUDA_IMAGE=nvidia/cuda:12.8.1-runtime-ubuntu24.04
#   --build-arg TORCH_INDEX_URL=https://download.pytorch.org/whl/cu128 --build-arg TORCH_VERSION=2.8.0
# See docs/deploy-docker.md.

ARG NODE_IMAGE=node:20-bookworm-slim
ARG CUDA_IMAGE=nvidia/cuda:12.6.3-runtime-ubuntu24.04
ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cu126
ARG TORCH_VERSION=2.7.1

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

# Node 20 for the runtime stage below (its binary runs on any glibc ≥ 2.28).
FROM ${NODE_IMAGE} AS node

FROM ${CUDA_IMAGE} AS runtime
ARG TORCH_INDEX_URL
ARG TORCH_VERSION
LABEL org.opencontainers.image.title="ttt trainer (CUDA)" \
      org.opencontainers.image.description="Twitter Turing Test: train jobs with PyTorch on NVIDIA GPUs, ONNX export, model registration" \
      org.opencontainers.image.source="https://github.com/twitter-turing-test/twitter-turing-test"
# gcc, libc6-dev, python3-dev: Triton compiles a small C launcher the first time torch.compile runs.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends tini ca-certificates \
      python3 python3-venv python3-dev gcc libc6-dev \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 ttt \
 && useradd --uid 10001 --gid 10001 --create-home --home-dir /home/ttt --shell /usr/sbin/nologin ttt \
 && mkdir -p /artifacts /var/lib/ttt/trainer && chown 10001:10001 /artifacts /var/lib/ttt/trainer
# torch's CUDA wheels bring their own CUDA libraries; the host needs only the NVIDIA driver and
# the container toolkit.
RUN python3 -m venv /opt/torch \
 && /opt/torch/bin/pip install --no-cache-dir --index-url "${TORCH_INDEX_URL}" "torch==${TORCH_VERSION}" \
 && /opt/torch/bin/pip install --no-cache-dir "numpy>=1.26,<3" "onnx>=1.16,<2" \
 && /opt/torch/bin/python -c 'import torch, numpy, onnx; print("torch", torch.__version__, "cuda", torch.version.cuda, "numpy", numpy.__version__, "onnx", onnx.__version__)'
COPY --from=node /usr/local/bin/node /usr/local/bin/node
# Named volumes mounted on /artifacts and /var/lib/ttt/trainer start out owned by the service's user.
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3004 \
    ARTIFACT_STORE_URL=file:///artifacts \
    TRAINER_PYTHON=/opt/torch/bin/python \
    TRAINER_WORK_DIR=/var/lib/ttt/trainer \
    TRAINER_DEVICE=auto
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
