#!/usr/bin/env bash
# Checks how ./corral picks a JDK, with fake java binaries that only print a version.
# Run from anywhere: corral-cli/src/test/sh/find-java-test.sh  (exit 0 when all pass)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
launcher="$here/../../../../corral"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0

# fake_jdk DIR VERSION: DIR/bin/java prints `openjdk version "VERSION"` to stderr, as java does.
fake_jdk() {
  mkdir -p "$1/bin"
  printf '#!/bin/sh\necho '\''openjdk version "%s" 2024-01-16'\'' >&2\n' "$2" > "$1/bin/java"
  chmod +x "$1/bin/java"
}

# expect NAME WANTED [ENV...]: runs the launcher in `env -i` with ENV and compares what it prints.
expect() {
  local name="$1" wanted="$2" got
  shift 2
  got="$(env -i "$@" CORRAL_WHICH_JAVA=1 "$bash" "$launcher" 2>&1 || true)"
  if [ "$got" = "$wanted" ]; then
    echo "ok   $name"
  else
    echo "FAIL $name: wanted '$wanted', got '$got'"
    failures=$((failures + 1))
  fi
}

fake_jdk "$work/jh17" "17.0.9"
fake_jdk "$work/jh21" "21.0.2"
fake_jdk "$work/path25" "25"
fake_jdk "$work/path11" "11.0.1"
fake_jdk "$work/jvm/java-8" "1.8.0_292"
fake_jdk "$work/jvm/jdk-21" "21.0.5"
fake_jdk "$work/jvm/jdk-23" "23-ea"
fake_jdk "$work/jvm/jdk-22" "22.0.1"
# A JDK whose release file says 21 and whose java prints nothing: the launcher reads the file, and
# starts no JVM to learn the version.
mkdir -p "$work/rel21/bin"
printf '#!/bin/sh\nexit 1\n' > "$work/rel21/bin/java"
chmod +x "$work/rel21/bin/java"
printf 'IMPLEMENTOR="Test"\nJAVA_VERSION="21.0.4"\n' > "$work/rel21/release"
mkdir -p "$work/empty" "$work/tools"
# Only the tools the launcher needs, so that the machine's own java cannot be found on PATH.
for tool in sed head dirname readlink find; do
  ln -s "$(command -v "$tool")" "$work/tools/$tool"
done
bash="$(command -v bash)"
base_path="$work/tools"

expect "JAVA_HOME 21 wins" "$work/jh21/bin/java" \
  JAVA_HOME="$work/jh21" PATH="$work/path25/bin:$base_path" CORRAL_JVM_DIR="$work/jvm"
expect "JAVA_HOME 17 is skipped for PATH 25" "$work/path25/bin/java" \
  JAVA_HOME="$work/jh17" PATH="$work/path25/bin:$base_path" CORRAL_JVM_DIR="$work/jvm"
expect "old PATH java falls back to the newest JVM dir entry" "$work/jvm/jdk-23/bin/java" \
  JAVA_HOME="$work/jh17" PATH="$work/path11/bin:$base_path" CORRAL_JVM_DIR="$work/jvm"
expect "no JAVA_HOME, no java on PATH" "$work/jvm/jdk-23/bin/java" \
  PATH="$base_path" CORRAL_JVM_DIR="$work/jvm"
expect "the release file gives the version" "$work/rel21/bin/java" \
  JAVA_HOME="$work/rel21" PATH="$base_path" CORRAL_JVM_DIR="$work/empty"
expect "nothing new enough" \
  "Corral needs a JDK 21 or newer. Install one, e.g. \`apt-get install openjdk-21-jdk-headless\` (or temurin-21), or set JAVA_HOME." \
  JAVA_HOME="$work/jh17" PATH="$work/path11/bin:$base_path" CORRAL_JVM_DIR="$work/empty"

if [ "$failures" -ne 0 ]; then
  echo "$failures failed"
  exit 1
fi
echo "all passed"
