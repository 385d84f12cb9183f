#!/usr/bin/env bash
# Smoke test of the WebVirt test guest: builds it (build.sh, cached) and boots the ISO
# under QEMU TCG, checking READY, the disk helpers, the counter, job control, the tty1
# shell, Ctrl-Alt-Del, the ACPI power button and the disk image afterwards.
#
#   tests/guest/smoke.sh [--keep]      (--keep: keep the temp folder with serial.log)
#
# The checks themselves are in smoke.py (standard library only).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

missing=()
command -v qemu-system-x86_64 > /dev/null || missing+=(qemu-system-x86)
command -v qemu-img > /dev/null || missing+=(qemu-utils)
command -v python3 > /dev/null || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
    echo "smoke.sh: installing missing packages: ${missing[*]}" >&2
    sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    compgen -G '/var/lib/apt/lists/*_Packages*' > /dev/null || "${sudo[@]}" apt-get update >&2
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y --no-install-recommends "${missing[@]}" >&2
fi

guest=$("$here/build.sh" | tail -n 1)
echo "guest: $guest"
exec python3 "$here/smoke.py" "$guest" "$@"
