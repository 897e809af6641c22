#!/usr/bin/env bash
# Refresh the package's copy of the contract and its generated TypeScript types, reproducibly.
#
# proto/ (the .proto files and service_config.json) is copied into clients/node/proto so an
# installed package carries the contract it loads at run time, together with the googleapis
# annotation protos the contract imports (google/api/field_behavior.proto, field_info.proto, annotations.proto and http.proto,
# vendored under proto/third_party/googleapis; Apache-2.0). google/rpc's status.proto and
# error_details.proto (to decode ErrorInfo) are vendored in proto/google/rpc and kept as they
# are; `--vendor-google-rpc` refreshes them from the repository venv's googleapis-common-protos.
# Types are written by @grpc/proto-loader's proto-loader-gen-types (pinned in package-lock.json).
#
#   clients/node/generate.sh                      regenerate in place
#   clients/node/generate.sh --vendor-google-rpc  also refresh the vendored google/rpc files
#   clients/node/generate.sh --out DIR            write proto/ and gen/ under DIR instead
#                                                 (the stale-code test diffs them)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="$HERE"
GOOGLE_RPC="$HERE/proto/google/rpc"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) OUT="$(mkdir -p "$2" && cd "$2" && pwd)"; shift 2 ;;
    --vendor-google-rpc)
      PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
      GOOGLE_RPC="$("$PYTHON" -c 'import google.rpc.status_pb2 as m, os; print(os.path.dirname(m.__file__))')"
      shift ;;
    *) echo "usage: $0 [--out DIR] [--vendor-google-rpc]" >&2; exit 2 ;;
  esac
done

GEN_TYPES="$HERE/node_modules/.bin/proto-loader-gen-types"
if [[ ! -x "$GEN_TYPES" ]]; then
  echo "$0: $GEN_TYPES is missing: run npm ci (or clients/build.sh node) first" >&2
  exit 1
fi

VENDORED="$(mktemp -d)"
trap 'rm -rf "$VENDORED"' EXIT
cp "$GOOGLE_RPC/status.proto" "$GOOGLE_RPC/error_details.proto" "$VENDORED/"
rm -rf "$OUT/proto" "$OUT/gen"
mkdir -p "$OUT/proto/maxcompute/gateway/v1" "$OUT/proto/google/rpc" "$OUT/gen"
cp "$ROOT"/proto/maxcompute/gateway/v1/*.proto "$ROOT/proto/maxcompute/gateway/v1/service_config.json" \
  "$OUT/proto/maxcompute/gateway/v1/"
cp "$VENDORED"/*.proto "$OUT/proto/google/rpc/"
mkdir -p "$OUT/proto/google/api"
cp "$ROOT/proto/third_party/googleapis/google/api/field_behavior.proto" \
  "$ROOT/proto/third_party/googleapis/google/api/field_info.proto" \
  "$ROOT/proto/third_party/googleapis/google/api/annotations.proto" \
  "$ROOT/proto/third_party/googleapis/google/api/http.proto" "$OUT/proto/google/api/"

cd "$OUT/proto"
# The options mirror src/proto.js's loader options, so the types describe the objects the
# client really hands out. Files come first: -I takes every value after it.
"$GEN_TYPES" \
  maxcompute/gateway/v1/instance_service.proto google/rpc/status.proto google/rpc/error_details.proto \
  --keepCase --longs=String --enums=String --defaults --includeComments \
  --grpcLib=@grpc/grpc-js --targetFileExtension=.ts --importFileExtension=.js \
  --outDir="$OUT/gen" -I . > /dev/null
