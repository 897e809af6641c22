#!/usr/bin/env bash
# Regenerate the Go stubs under gen/ from proto/, reproducibly.
#
# protoc is grpcio-tools' (from the repository's Python venv, which also ships the well-known
# types); protoc-gen-go and protoc-gen-go-grpc are `go install`ed at the pinned versions below
# into .tools/. The service config is copied next to the mcgw package, which embeds it.
#
#   clients/go/generate.sh            regenerate in place
#   clients/go/generate.sh --out DIR  write gen/ and the service config copy under DIR instead
#                                     (the stale-code test diffs that with the committed files)
set -euo pipefail

PROTOC_GEN_GO_VERSION=v1.36.12
PROTOC_GEN_GO_GRPC_VERSION=v1.6.2

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="$HERE"
if [[ "${1:-}" == "--out" ]]; then
  OUT="$(mkdir -p "$2" && cd "$2" && pwd)"
fi
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
TOOLS="$HERE/.tools"

install_tool() { # name package version
  local stamp="$TOOLS/$1.version"
  if [[ ! -x "$TOOLS/$1" || "$(cat "$stamp" 2>/dev/null)" != "$3" ]]; then
    GOBIN="$TOOLS" GOFLAGS=-mod=mod go install "$2@$3"
    echo "$3" > "$stamp"
  fi
}
mkdir -p "$TOOLS"
install_tool protoc-gen-go google.golang.org/protobuf/cmd/protoc-gen-go "$PROTOC_GEN_GO_VERSION"
install_tool protoc-gen-go-grpc google.golang.org/grpc/cmd/protoc-gen-go-grpc "$PROTOC_GEN_GO_GRPC_VERSION"

WKT="$("$PYTHON" -c 'import grpc_tools, os; print(os.path.join(os.path.dirname(grpc_tools.__file__), "_proto"))')"
rm -rf "$OUT/gen"
mkdir -p "$OUT/gen"
(
  cd "$ROOT/proto"
  PATH="$TOOLS:$PATH" "$PYTHON" -m grpc_tools.protoc \
    -I. -Ithird_party/googleapis -I"$WKT" \
    --go_out="$OUT/gen" --go_opt=module=github.com/mcgateway/mcgateway/clients/go/gen \
    --go-grpc_out="$OUT/gen" --go-grpc_opt=module=github.com/mcgateway/mcgateway/clients/go/gen \
    maxcompute/gateway/v1/*.proto
)
mkdir -p "$OUT/mcgw"
cp "$ROOT/proto/maxcompute/gateway/v1/service_config.json" "$OUT/mcgw/service_config.json"
