# Shared by run.sh and test.sh: install what is missing, quietly when everything is present.
# shellcheck shell=bash

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# apt_ensure PKG...: installs the Debian packages that are not installed yet, and says which.
apt_ensure() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "Installing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# The runtime packages of a host: QEMU, qemu-img, UEFI firmware, Node for the browser assets.
ensure_host_packages() {
  apt_ensure qemu-system-x86 qemu-utils ovmf ipxe-qemu util-linux
  command -v npm >/dev/null 2>&1 || apt_ensure nodejs npm
  command -v dotnet >/dev/null 2>&1 || {
    echo "The .NET 10 SDK is required: see https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2
    exit 1
  }
}

# QEMU runs as this unprivileged account when the agent runs as root (see appsettings.json, Hypervisor:QemuUser).
ensure_qemu_user() {
  [ "$(id -u)" -eq 0 ] || return 0
  local user="${WEBVIRT_QEMU_USER:-webvirt-qemu}"
  if ! getent passwd "$user" >/dev/null; then
    say "Creating the unprivileged user '$user' that QEMU runs as"
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$user"
  fi
  if getent group kvm >/dev/null && ! id -nG "$user" | grep -qw kvm; then
    usermod -a -G kvm "$user"
  fi
}
