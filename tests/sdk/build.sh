#!/usr/bin/env bash
# Fetch and build the official SDK oracles of tests/sdk: the MaxCompute Java SDK
# (com.aliyun.odps:odps-sdk-core, java/) and Go SDK (aliyun-odps-go-sdk, go/), each a small
# program that tests/sdk/test_official_sdks.py runs against the emulator. `make test` calls this
# before pytest (target `sdks`), and the tests call it too, so it must be quick when nothing
# changed.
#
# Idempotent, like clients/build.sh: each step's inputs are hashed into a stamp under
# tests/sdk/.stamps/, and a step whose inputs did not change since it last succeeded is skipped.
#   java-deps     pom.xml -> java/target/classpath.txt (mvn dependency:build-classpath). Once a
#                 pom has resolved, Maven runs offline (-o, from ~/.m2) whenever the class path is
#                 rebuilt; it goes online again only for a changed pom or a wiped ~/.m2.
#   java-classes  java/src + the class path -> java/target/classes (javac).
#   go            go/go.mod, go.sum, *.go -> go/build/sdk-oracle (modules from Go's module cache).
# `tests/sdk/build.sh --force` rebuilds everything; `tests/sdk/build.sh java` (or go) one oracle.
set -euo pipefail

SDK="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STAMPS="$SDK/.stamps"
FORCE=0
WANT=()
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    go|java) WANT+=("$arg") ;;
    *) echo "usage: $0 [--force] [java] [go]" >&2; exit 2 ;;
  esac
done
[[ ${#WANT[@]} -eq 0 ]] && WANT=(java go)
mkdir -p "$STAMPS"

need() {
  command -v "$1" >/dev/null || { echo "tests/sdk/build.sh: '$1' is not installed; the $2 oracle needs it" >&2; exit 1; }
}

# digest FILE_OR_DIR... : one hash over the contents of every file below the arguments.
digest() {
  find "$@" -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1
}

# fresh NAME HASH : true when the last successful run of step NAME had these inputs.
fresh() {
  [[ $FORCE -eq 0 && -f "$STAMPS/$1" && "$(cat "$STAMPS/$1")" == "$2" ]]
}

step() { printf 'tests/sdk/build.sh: %s\n' "$*"; }

# classpath_ok FILE : the class path file exists and every jar it names is present.
classpath_ok() {
  [[ -s "$1" ]] || return 1
  local jar
  while IFS= read -r -d ':' jar; do
    [[ -f "$jar" ]] || return 1
  done < <(tr -d '\n' < "$1"; printf ':')
}

# resolve DIR [MVN_FLAG...] : write DIR/target/classpath.txt; Maven's output only on failure.
resolve() {
  local dir="$1" out
  shift
  if ! out="$(cd "$dir" && mvn -B -q -Dstyle.color=never "$@" dependency:build-classpath \
                -Dmdep.outputFile=target/classpath.txt 2>&1)"; then
    printf '%s\n' "$out" >&2
    return 1
  fi
}

build_java() {
  need mvn Java
  need java Java
  need javac Java
  local dir="$SDK/java" target="$SDK/java/target" deps classes
  deps="$(digest "$dir/pom.xml")"
  if fresh java-deps "$deps" && classpath_ok "$target/classpath.txt"; then
    step "java: dependencies up to date"
  else
    mkdir -p "$target"
    local offline=()
    # The pom resolved before: its jars are in ~/.m2, no network needed.
    fresh java-deps "$deps" && offline=(-o)
    step "java: resolve dependencies${offline:+ (offline)}"
    if ! resolve "$dir" "${offline[@]}" || ! classpath_ok "$target/classpath.txt"; then
      [[ ${#offline[@]} -eq 0 ]] && { echo "tests/sdk/build.sh: Maven could not resolve $dir/pom.xml" >&2; exit 1; }
      step "java: offline resolve failed (~/.m2 changed?); resolving online"
      resolve "$dir" || { echo "tests/sdk/build.sh: Maven could not resolve $dir/pom.xml" >&2; exit 1; }
    fi
    echo "$deps" > "$STAMPS/java-deps"
  fi
  classes="$(digest "$dir/src" "$target/classpath.txt")"
  if fresh java-classes "$classes" && [[ -f "$target/classes/mcemu/sdk/Oracle.class" ]]; then
    step "java: classes up to date"
    return
  fi
  step "java: compile"
  rm -rf "$target/classes"
  mkdir -p "$target/classes"
  find "$dir/src/main/java" -name '*.java' -print0 \
    | xargs -0 javac -encoding UTF-8 --release 17 -nowarn -d "$target/classes" -cp "$(cat "$target/classpath.txt")"
  echo "$classes" > "$STAMPS/java-classes"
}

build_go() {
  need go Go
  local dir="$SDK/go" hash
  hash="$(digest "$dir/go.mod" "$dir/go.sum" $(find "$dir" -maxdepth 1 -name '*.go'))"
  if fresh go "$hash" && [[ -x "$dir/build/sdk-oracle" ]]; then
    step "go: up to date"
    return
  fi
  step "go: download modules and build"
  ( cd "$dir" && go build -o build/sdk-oracle . )
  echo "$hash" > "$STAMPS/go"
}

for oracle in "${WANT[@]}"; do
  "build_$oracle"
done
