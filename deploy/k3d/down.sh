#!/usr/bin/env bash
# Removes the Glasshouse k3d cluster and everything in it (volumes included).
# The image glasshouse/shop stays in Docker; `docker image rm glasshouse/shop:dev` removes it.
set -euo pipefail

CLUSTER=glasshouse
missing=()
for tool in docker k3d; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "down.sh: missing on PATH: ${missing[*]} (see deploy/k3d/up.sh for where to get them)" >&2
  exit 1
fi
if ! k3d cluster list "$CLUSTER" >/dev/null 2>&1; then
  echo "down.sh: no cluster named $CLUSTER; nothing to remove"
  exit 0
fi
k3d cluster delete "$CLUSTER"
echo "down.sh: cluster $CLUSTER removed"
