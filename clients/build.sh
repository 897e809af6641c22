#!/usr/bin/env bash
# Fetch the pinned dependencies of the Go, Java and Node clients and build them, so the tests in
# tests/polyglot can run their suites offline and quickly. `make test` calls this before pytest.
#
# Idempotent: each client's inputs are hashed into a stamp under clients/.stamps/, and a client
# whose inputs did not change since its last successful build is skipped (Go relies on its own
# build cache instead). `clients/build.sh --force` rebuilds everything; `clients/build.sh go`
# (or java, node) builds one client.
set -euo pipefail

CLIENTS="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$CLIENTS/.." && pwd)"
STAMPS="$CLIENTS/.stamps"
FORCE=0
WANT=()
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    go|java|node) WANT+=("$arg") ;;
    *) echo "usage: $0 [--force] [go] [java] [node]" >&2; exit 2 ;;
  esac
done
[[ ${#WANT[@]} -eq 0 ]] && WANT=(go java node)
mkdir -p "$STAMPS"

need() {
  command -v "$1" >/dev/null || { echo "clients/build.sh: '$1' is not installed; the $2 client needs it" >&2; exit 1; }
}

# digest FILE_OR_DIR... : one hash over the contents of every file below the arguments.
digest() {
  find "$@" -type f -not -path '*/node_modules/*' -not -path '*/target/*' -print0 \
    | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1
}

# fresh NAME HASH : true when the last successful build of NAME had these inputs.
fresh() {
  [[ $FORCE -eq 0 && -f "$STAMPS/$1" && "$(cat "$STAMPS/$1")" == "$2" ]]
}

step() { printf 'clients/build.sh: %s\n' "$*"; }

build_go() {
  need go Go
  step "go: download modules and build"
  ( cd "$CLIENTS/go" && go mod download && go build ./... && go vet ./... )
}

build_java() {
  need mvn Java
  need java Java
  local hash
  hash="$(digest "$CLIENTS/build.sh" "$CLIENTS/java/pom.xml" "$CLIENTS/java/src" "$ROOT/proto")"
  if fresh java "$hash" && [[ -f "$CLIENTS/java/target/classpath.txt" ]]; then
    step "java: up to date"
    return
  fi
  step "java: resolve dependencies and plugins, generate stubs, compile and run unit tests"
  # `test` (not just package) also fetches surefire's JUnit provider, which later offline runs
  # need; the end-to-end tests skip here because MCGW_TARGET is unset. resolve-plugins fetches
  # the plugins the build declares but `test` does not run (jar, install, exec), which the
  # README test (tests/polyglot/test_java_readme.py) runs offline.
  # The build also writes target/classpath.txt, for running the example with plain `java -cp`.
  ( cd "$CLIENTS/java" && env -u MCGW_TARGET mvn -B -q test dependency:resolve-plugins )
  echo "$hash" > "$STAMPS/java"
}

build_node() {
  need node Node
  need npm Node
  local hash
  hash="$(digest "$CLIENTS/node/package.json" "$CLIENTS/node/package-lock.json")"
  if fresh node "$hash" && [[ -d "$CLIENTS/node/node_modules" ]]; then step "node: up to date"; return; fi
  step "node: npm ci"
  # No install scripts: the client needs none (protobufjs' postinstall only prints a notice).
  ( cd "$CLIENTS/node" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error )
  echo "$hash" > "$STAMPS/node"
}

for client in "${WANT[@]}"; do
  "build_$client"
done
