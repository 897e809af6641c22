# syntax=docker/dockerfile:1
# mcgateway: multi-stage build from this repository alone.
# Stage 1 builds wheels for both distributions (the client stubs and the gateway); stage 2 installs
# them into a slim runtime as a non-root user. tests/foundation/test_packaging.py runs the same
# wheel build and install in a clean venv, since no Docker engine is available in CI.

FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY server ./server
COPY emulator ./emulator
COPY clients/python ./clients/python
RUN python -m pip install --no-cache-dir --upgrade pip wheel \
 && python -m pip wheel --no-cache-dir --wheel-dir /wheels ./clients/python .

FROM python:3.11-slim AS runtime
# MCGATEWAY_CONFIG names the configuration for every mcgateway process in the container, so the
# HEALTHCHECK's `mcgateway health` reads exactly what `mcgateway serve` reads.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    MCGATEWAY_DATA_DIR=/var/lib/mcgateway \
    MCGATEWAY_CONFIG=/etc/mcgateway/config.toml
RUN groupadd --system mcgateway \
 && useradd --system --gid mcgateway --home-dir /var/lib/mcgateway --create-home mcgateway
COPY --from=build /wheels /wheels
RUN python -m pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
COPY deploy/docker/config.toml /etc/mcgateway/config.toml
USER mcgateway
EXPOSE 50051 9090
# grpc.health.v1 through `mcgateway health`: same configuration as serve (MCGATEWAY_CONFIG and
# any MCGATEWAY_* variable), TLS when it names a certificate (trusting that certificate, with the
# name it carries), plaintext otherwise; exit 0 only when SERVING.
HEALTHCHECK --interval=10s --timeout=10s --start-period=15s --retries=3 \
  CMD ["mcgateway", "health"]
ENTRYPOINT ["mcgateway"]
# Default: serve the REAL MaxCompute endpoint of /etc/mcgateway/config.toml (deploy/docker/
# config.toml, read through MCGATEWAY_CONFIG rather than --config so the health check follows
# an override of it) on 0.0.0.0:50051 over TLS with bearer tokens. Mount
# /etc/mcgateway/tokens/tokens.json and /etc/mcgateway/tls/tls.{crt,key}; set MCGATEWAY_ENDPOINT,
# MCGATEWAY_PROJECT, ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET.
# The image never starts the embedded emulator by default: the gateway refuses it on a network
# address unless asked. A demo container (fake MaxCompute, no auth, plaintext) is explicit:
#   docker run --rm -p 50051:50051 -e MCGATEWAY_CONFIG= mcgateway:0.1.0 serve --listen 0.0.0.0:50051 --insecure --allow-embedded-on-network
# (MCGATEWAY_CONFIG= leaves the TLS configuration out, for serve and the health check alike.)
CMD ["serve"]
