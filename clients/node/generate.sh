#!/usr/bin/env bash
# Refresh the package's copy of the contract and its generated TypeScript types, reproducibly.
#
# proto/ (the .proto files and service_config.json) is copied into clients/node/proto so an
# installed package carries the contract it loads at run time; google/rpc's status and
# error_details come from the repository venv's googleapis-common-protos (to decode ErrorInfo).
# Types are written by @grpc/proto-loader's proto-loader-gen-types (pinned in package-lock.json).
#
#   clients/node/generate.sh            regenerate in place
#   clients/node/generate.sh --out DIR  write proto/ and gen/ under DIR instead (stale-code test)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="$HERE"
if [[ "${1:-}" == "--out" ]]; then
  OUT="$(mkdir -p "$2" && cd "$2" && pwd)"
fi
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
GOOGLE_RPC="$("$PYTHON" -c 'import google.rpc.status_pb2 as m, os; print(os.path.dirname(m.__file__))')"

rm -rf "$OUT/proto" "$OUT/gen"
mkdir -p "$OUT/proto/maxcompute/gateway/v1" "$OUT/proto/google/rpc" "$OUT/gen"
cp "$ROOT"/proto/maxcompute/gateway/v1/*.proto "$ROOT/proto/maxcompute/gateway/v1/service_config.json" \
  "$OUT/proto/maxcompute/gateway/v1/"
cp "$GOOGLE_RPC/status.proto" "$GOOGLE_RPC/error_details.proto" "$OUT/proto/google/rpc/"

cd "$OUT/proto"
# The options mirror src/proto.js's loader options, so the types describe the objects the
# client really hands out. Files come first: -I takes every value after it.
"$HERE/node_modules/.bin/proto-loader-gen-types" \
  maxcompute/gateway/v1/instance_service.proto google/rpc/status.proto google/rpc/error_details.proto \
  --keepCase --longs=String --enums=String --defaults --oneofs --includeComments \
  --grpcLib=@grpc/grpc-js --targetFileExtension=.ts --importFileExtension=.js \
  --outDir="$OUT/gen" -I . > /dev/null
