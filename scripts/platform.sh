#!/usr/bin/env bash
# Prints this machine's platform in Terraform's words (OS_ARCH: linux_amd64,
# linux_arm64, darwin_arm64, ...), for the release, install and demo scripts.
set -euo pipefail
case "$(uname -s)" in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  *) echo "platform.sh: $(uname -s) is not supported (the provider runs on Linux and macOS)" >&2; exit 1 ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) arch=amd64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "platform.sh: $(uname -m) is not supported (amd64 and arm64 are)" >&2; exit 1 ;;
esac
echo "${os}_${arch}"
