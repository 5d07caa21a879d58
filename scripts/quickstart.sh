#!/usr/bin/env bash
# One command on a fresh machine: install everything, then run the main job
# on the embedded default (local network namespaces, no Docker needed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
exec node dist/harness/cli.js test --target raft-kv --nemesis partition "$@"
