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
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    MCGATEWAY_DATA_DIR=/var/lib/mcgateway
RUN groupadd --system mcgateway \
 && useradd --system --gid mcgateway --home-dir /var/lib/mcgateway --create-home mcgateway
COPY --from=build /wheels /wheels
RUN python -m pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
USER mcgateway
EXPOSE 50051 9090
# The gRPC health service answers SERVING once the gateway is up (grpc.health.v1).
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["python", "-c", "import grpc,sys; from grpc_health.v1 import health_pb2 as h, health_pb2_grpc as g; c=grpc.insecure_channel('127.0.0.1:50051'); r=g.HealthStub(c).Check(h.HealthCheckRequest(), timeout=2); sys.exit(0 if r.status == h.HealthCheckResponse.SERVING else 1)"]
ENTRYPOINT ["mcgateway"]
# A non-loopback listener needs bearer tokens: mount a tokens file (deploy/kubernetes uses a Secret).
CMD ["serve", "--listen", "0.0.0.0:50051", "--metrics-listen", "0.0.0.0:9090", "--tokens-file", "/etc/mcgateway/tokens.json"]
