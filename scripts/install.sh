#!/usr/bin/env bash
# Installs what the harness needs on a fresh Debian/Ubuntu machine (as root,
# or with sudo), then the npm dependencies, then builds. Safe to run twice.
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages: network namespaces and partitions (iproute2, iptables),
# TCP probes (procps for pgrep/pkill in cleanup), a C compiler for the clock
# shim (clock faults) and, with libnetfilter-queue, the userspace packet
# shaper (delay, reordering, corruption on kernels without netem), and Redis
# with Sentinel for the redis-sentinel target.
packages=(iproute2 iptables procps gcc libc6-dev libnetfilter-queue-dev redis-server redis-sentinel)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  as_root=()
  [ "$(id -u)" -eq 0 ] || as_root=(sudo)
  echo "installing system packages: ${missing[*]}"
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# npm dependencies exactly as locked; `prepare` compiles TypeScript into dist/.
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
npm run build --silent
npm run build:clock-shim --silent || echo "note: the clock shim did not build; runs with clock faults will be refused"
npm run build:shaper --silent || echo "note: the packet shaper did not build; without netem, packet delay/reorder/corrupt will be refused"

# Put `harness` on the PATH (a link to this checkout's dist/harness/cli.js).
npm link --no-audit --no-fund >/dev/null 2>&1 || echo "note: could not link 'harness' onto the PATH; use node dist/harness/cli.js"
