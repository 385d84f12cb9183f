#!/usr/bin/env bash
# Installs what the tests need (QEMU, Chromium, the test guest), builds, and runs every test.
# Arguments are passed to `dotnet test` (for example: --filter FullyQualifiedName~Qmp).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/common.sh

ensure_host_packages
# systemd: the tests read the agent unit with systemd-analyze (offline; no systemd needs to run).
# dnsmasq-base: a DHCP server for the test guest on bridges in network namespaces
# (tests/guest/net-smoke.sh, network tests).
apt_ensure chromium busybox-static xorriso isolinux syslinux-common cpio xz-utils systemd dnsmasq-base iproute2
ensure_qemu_user

say "Building the test guest (cached by package versions)"
WEBVIRT_TEST_GUEST="$(tests/guest/build.sh | tail -n 1)"
export WEBVIRT_TEST_GUEST
echo "test guest: $WEBVIRT_TEST_GUEST"

say "Building"
dotnet build WebVirt.sln -c Release -v quiet -nologo

say "Testing"
mkdir -p artifacts
log=artifacts/test-output.log
set +e
dotnet test WebVirt.sln -c Release --no-build --results-directory artifacts/test-results \
  --logger "trx" --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One closing line for CI, summed over the test assemblies.
count() { { grep -Eo "^ +$1: +[0-9]+" "$log" || true; } | awk '{s+=$2} END {print s+0}'; }
passed=$(count Passed)
failed=$(count Failed)
echo "$passed passed, $failed failed"
if [ "$status" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
