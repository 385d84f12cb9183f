#!/usr/bin/env bash
# Builds the WebVirt test guest: a Debian cloud kernel plus a busybox initramfs, as
# vmlinuz + initrd.gz and as a bootable ISO, from Debian packages only.
#
#   tests/guest/build.sh            -> last line on stdout: the output folder
#
# Output: ${WEBVIRT_GUEST_CACHE:-/var/cache/webvirt/test-guest}/<key>/
#   vmlinuz  initrd.gz  webvirt-guest.iso  versions.txt
# and the symlink .../current -> <key>.  <key> is a hash of the package versions used
# and of this script, isolinux.cfg and rootfs/ (smoke.* do not count), so a folder that
# exists is a complete build of exactly these inputs and is reused as it is.
#
# Progress goes to stderr; stdout only gets the output folder.  Needs root (or sudo)
# only to apt-get install missing tools / apt-get update, and write access to the cache.
set -euo pipefail
shopt -s nullglob

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache_root=${WEBVIRT_GUEST_CACHE:-/var/cache/webvirt/test-guest}

# Kernel modules the guest loads (module names).  Their dependencies are added and the
# load order worked out from modules.dep, so only the leaves need listing here.
# ext4 (which also mounts the ext2 the disk helpers make), the 8250 serial port, the
# VGA console, the PS/2 keyboard and devtmpfs are built into Debian's cloud kernel.
# There is no AHCI driver in it, so the q35 CD-ROM on ide.N is invisible to the guest;
# sr_mod + isofs serve a scsi-cd on virtio-scsi.
modules_wanted=(
    virtio_pci       # virtio transport (pulls virtio, virtio_ring, *_modern_dev, *_legacy_dev)
    virtio_blk
    virtio_net       # pulls net_failover, failover
    virtio_console
    virtio_scsi
    sr_mod isofs     # CD-ROMs on virtio-scsi
    evdev button     # ACPI power button as /dev/input/event*, read by acpid
)

log() { printf 'build.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo > /dev/null; then
        sudo "$@"
    else
        die "not root and no sudo, cannot run: $*"
    fi
}

apt_update() {
    log "running apt-get update"
    as_root apt-get update >&2
}

# apt-get install whatever of the given "command:package" pairs is missing.
ensure_tools() {
    local pair missing=()
    for pair in "$@"; do
        command -v "${pair%%:*}" > /dev/null || missing+=("${pair#*:}")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing missing packages: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y --no-install-recommends "${missing[@]}" >&2
}

# --- 1. Which package versions?  -------------------------------------------------------
#
# apt-cache takes ~1 s on Debian's docker images (they disable apt's binary cache), too
# slow for the "already built" path, so the answer is remembered in $cache_root, keyed
# by the apt lists and apt's configuration: while those are unchanged, so is the answer.

apt_fingerprint() {
    local f existing=()
    for f in /var/lib/apt/lists/*_Packages* /etc/apt/sources.list /etc/apt/sources.list.d/* \
        /etc/apt/preferences /etc/apt/preferences.d/*; do
        [ -e "$f" ] && existing+=("$f")
    done
    stat -c '%n %s %Y' "${existing[@]}" /dev/null | sha256sum | cut -d' ' -f1
}

# Sets kernel_pkg, kernel_ver, busybox_ver, isolinux_ver, syslinux_ver from apt's
# candidate versions.  The kernel is whatever linux-image-cloud-amd64 depends on.
resolve_from_apt() {
    local show
    show=$(apt-cache show --no-all-versions \
        linux-image-cloud-amd64 busybox-static isolinux syslinux-common 2> /dev/null) || true
    # One "Package Version Depends" line per record.
    local records
    records=$(awk '
        /^Package: / { p = $2 }
        /^Version: / { v = $2 }
        /^Depends: / { d = substr($0, 10) }
        /^$/ { if (p != "") print p "\t" v "\t" d; p = v = d = "" }
        END  { if (p != "") print p "\t" v "\t" d }' <<< "$show")
    field() { awk -F'\t' -v p="$1" -v f="$2" '$1 == p { print $f; exit }' <<< "$records"; }

    local meta_depends
    meta_depends=$(field linux-image-cloud-amd64 3)
    kernel_pkg=$(grep -oE 'linux-image-[^ ,]+-cloud-amd64' <<< "$meta_depends" | head -n1) || true
    # The meta package pins the exact version ("(= 6.1.192-2)"); if it ever stops doing
    # so, take the candidate of the concrete package.
    kernel_ver=$(sed -nE "s/.*${kernel_pkg//./\\.} \(= ([^)]+)\).*/\1/p" <<< "$meta_depends")
    if [ -n "$kernel_pkg" ] && [ -z "$kernel_ver" ]; then
        kernel_ver=$(apt-cache policy "$kernel_pkg" | awk '/Candidate:/ { print $2 }')
    fi
    busybox_ver=$(field busybox-static 2)
    isolinux_ver=$(field isolinux 2)
    syslinux_ver=$(field syslinux-common 2)
    [ -n "$kernel_pkg" ] && [ -n "$kernel_ver" ] && [ -n "$busybox_ver" ] \
        && [ -n "$isolinux_ver" ] && [ -n "$syslinux_ver" ]
}

resolve_versions() {
    local memo=$cache_root/.apt-versions fp line
    fp=$(apt_fingerprint)
    if [ -f "$memo" ] && [ "$(head -n1 "$memo")" = "fingerprint=$fp" ]; then
        while IFS='=' read -r k v; do
            case $k in
                kernel_pkg) kernel_pkg=$v ;;
                kernel_ver) kernel_ver=$v ;;
                busybox_ver) busybox_ver=$v ;;
                isolinux_ver) isolinux_ver=$v ;;
                syslinux_ver) syslinux_ver=$v ;;
            esac
        done < "$memo"
        [ -n "${kernel_pkg:-}" ] && [ -n "${kernel_ver:-}" ] && [ -n "${busybox_ver:-}" ] \
            && [ -n "${isolinux_ver:-}" ] && [ -n "${syslinux_ver:-}" ] && return 0
    fi

    if ! resolve_from_apt; then
        # Fresh machine (no lists) or lists that do not know the packages.
        apt_update
        fp=$(apt_fingerprint)
        resolve_from_apt || die "apt does not know linux-image-cloud-amd64, busybox-static, isolinux and syslinux-common"
    fi
    mkdir -p "$cache_root"
    line=$(printf 'fingerprint=%s\nkernel_pkg=%s\nkernel_ver=%s\nbusybox_ver=%s\nisolinux_ver=%s\nsyslinux_ver=%s\n' \
        "$fp" "$kernel_pkg" "$kernel_ver" "$busybox_ver" "$isolinux_ver" "$syslinux_ver")
    printf '%s\n' "$line" > "$memo.$$" && mv -f "$memo.$$" "$memo"
}

# Hash of the inputs in this folder.  Executable or not is part of it (the build keeps
# that bit), the exact mode is not (it depends on the checkout's umask).
files_hash() {
    (
        cd "$here"
        local inputs=(build.sh isolinux.cfg rootfs)
        find "${inputs[@]}" -type l -printf 'L %p %l\n' \
            -o -type f -perm -u+x -printf 'X %p\n' -o -type f -printf 'F %p\n'
        find "${inputs[@]}" -type f -print0 | xargs -0 sha256sum
    ) | LC_ALL=C sort | sha256sum | cut -d' ' -f1
}

update_current() {
    ln -sfn "$key" "$cache_root/.current.$$"
    mv -fT "$cache_root/.current.$$" "$cache_root/current"
}

is_complete() {
    local f
    for f in vmlinuz initrd.gz webvirt-guest.iso versions.txt; do
        [ -s "$1/$f" ] || return 1
    done
}

mkdir -p "$cache_root"
cache_root=$(cd "$cache_root" && pwd -P)
resolve_versions
key=$(printf 'kernel=%s %s\nbusybox=%s\nisolinux=%s\nsyslinux=%s\nfiles=%s\n' \
    "$kernel_pkg" "$kernel_ver" "$busybox_ver" "$isolinux_ver" "$syslinux_ver" "$(files_hash)" |
    sha256sum | cut -c1-16)
out=$cache_root/$key

if is_complete "$out"; then
    update_current
    log "up to date"
    echo "$out"
    exit 0
fi

# --- 2. Build in a temporary folder next to the output, then rename it into place. -----

log "building $key: $kernel_pkg $kernel_ver, busybox-static $busybox_ver"
ensure_tools xorriso:xorriso cpio:cpio gzip:gzip

stage=$(mktemp -d "$cache_root/.build-$key.XXXXXX")
trap 'rm -rf "$stage"' EXIT
work=$stage/work
dest=$stage/out
mkdir -p "$work/debs" "$dest"

# apt-get download as root drops to the _apt user, which cannot write into our 0700
# folder; it would then fall back to root with a warning.  Say so up front instead.
sandbox=()
[ "$(id -u)" -eq 0 ] && sandbox=(-o APT::Sandbox::User=root)
if ! (cd "$work/debs" && apt-get "${sandbox[@]}" download -q \
        "$kernel_pkg=$kernel_ver" "busybox-static=$busybox_ver" \
        "isolinux=$isolinux_ver" "syslinux-common=$syslinux_ver" >&2); then
    # Stale lists name versions the mirror no longer has: update once and start over
    # (the versions, hence the key, may change).
    [ -z "${WEBVIRT_GUEST_APT_UPDATED:-}" ] || die "apt-get download failed"
    apt_update
    rm -f "$cache_root/.apt-versions"   # resolve again even if the lists did not change
    rm -rf "$stage"
    trap - EXIT
    WEBVIRT_GUEST_APT_UPDATED=1 exec "$0" "$@"
fi

for deb in "$work"/debs/*.deb; do
    name=$(dpkg-deb -f "$deb" Package)
    dpkg-deb -x "$deb" "$work/pkg-$name"
done
kernel=$work/pkg-$kernel_pkg
busybox=$work/pkg-busybox-static/bin/busybox
[ -x "$busybox" ] || die "no bin/busybox in busybox-static"

# The release ("6.1.0-56-cloud-amd64") is the one folder under lib/modules.
kdirs=("$kernel"/lib/modules/*)
[ ${#kdirs[@]} -eq 1 ] || die "expected one lib/modules/<release> in $kernel_pkg"
krel=${kdirs[0]##*/}
kmods=${kdirs[0]}
cp "$kernel/boot/vmlinuz-$krel" "$dest/vmlinuz"

# --- Kernel modules --------------------------------------------------------------------

# Debian 12 ships plain .ko files; later releases compress them, and busybox insmod
# wants them plain.  (Done for the whole tree so depmod sees consistent names.)
compressed=$(find "$kmods" -name '*.ko.xz' -o -name '*.ko.zst' | head -n1)
if [ -n "$compressed" ]; then
    log "decompressing kernel modules"
    ensure_tools xz:xz-utils zstd:zstd
    find "$kmods" -name '*.ko.xz' -exec xz -d {} +
    find "$kmods" -name '*.ko.zst' -exec zstd -q -d --rm {} +
fi

# The package has no modules.dep (its postinst runs depmod): make one with the
# package's own busybox, which needs nothing from the build machine.
"$busybox" depmod -b "$kernel" "$krel"

# Module name of a path: basename without .ko, '-' read as '_' (virtio-rng -> virtio_rng).
modname() { modname_r=${1##*/}; modname_r=${modname_r%.ko}; modname_r=${modname_r//-/_}; }

declare -A mod_path mod_deps mod_seen
while IFS= read -r line; do
    modname "${line%%:*}"
    mod_path[$modname_r]=${line%%:*}
    mod_deps[$modname_r]=${line#*:}
done < "$kmods/modules.dep"

# Depth-first: a module's dependencies go into the load order before it.
mod_order=()
add_module() {
    local name=$1 dep
    [ -n "${mod_seen[$name]:-}" ] && return 0
    [ -n "${mod_path[$name]:-}" ] || die "module $name is not in $kernel_pkg"
    mod_seen[$name]=1
    for dep in ${mod_deps[$name]}; do
        modname "$dep"
        add_module "$modname_r"
    done
    mod_order+=("$name")
}
for m in "${modules_wanted[@]}"; do
    add_module "$m"
done
log "modules: ${mod_order[*]}"

# --- initramfs -------------------------------------------------------------------------

root=$work/root
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc/webvirt,proc,sys,dev,run,tmp,root,mnt/disk,var/log,lib/modules}
ln -s ../run "$root/var/run"
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list-full); do
    [ "$applet" = linuxrc ] && continue
    [ -e "$root/$applet" ] || [ -L "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
done
# The kernel runs /init; busybox, called "init", becomes busybox init (reads /etc/inittab).
ln -s /bin/busybox "$root/init"

for m in "${mod_order[@]}"; do
    cp "$kmods/${mod_path[$m]}" "$root/lib/modules/$m.ko"
    echo "$m" >> "$root/etc/webvirt/modules"
done

cp -R "$here/rootfs/." "$root/"
# Normalise modes: only the executable bit comes from the checkout.
find "$root" -type d -exec chmod 755 {} +
find "$root" -type f -perm /u+x -exec chmod 755 {} +
find "$root" -type f ! -perm /u+x -exec chmod 644 {} +
chmod 1777 "$root/tmp"
chmod 700 "$root/root"

# No /dev/console here: the kernel's built-in initramfs already has it.
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
    cpio --quiet -o -H newc -R 0:0 --reproducible) | gzip -9 -n > "$dest/initrd.gz"

# --- ISO -------------------------------------------------------------------------------

iso=$work/iso
mkdir -p "$iso/isolinux"
cp "$work/pkg-isolinux/usr/lib/ISOLINUX/isolinux.bin" "$iso/isolinux/"
cp "$work/pkg-syslinux-common/usr/lib/syslinux/modules/bios/ldlinux.c32" "$iso/isolinux/"
cp "$here/isolinux.cfg" "$iso/isolinux/isolinux.cfg"
cp "$dest/vmlinuz" "$dest/initrd.gz" "$iso/"
xorriso -as mkisofs -quiet -o "$dest/webvirt-guest.iso" -V WEBVIRT_GUEST -R -J \
    -b isolinux/isolinux.bin -c isolinux/boot.cat \
    -no-emul-boot -boot-load-size 4 -boot-info-table "$iso" >&2

cat > "$dest/versions.txt" << EOF
kernel_package=$kernel_pkg
kernel_package_version=$kernel_ver
kernel_release=$krel
busybox_package_version=$busybox_ver
isolinux_package_version=$isolinux_ver
syslinux_common_package_version=$syslinux_ver
modules=${mod_order[*]}
key=$key
EOF

chmod 755 "$dest"
chmod 644 "$dest"/*

# rename(2) is atomic; it fails if another build got there first, whose result is
# just as good.
if ! mv -T "$dest" "$out" 2> /dev/null; then
    is_complete "$out" || die "cannot move the build to $out"
    log "another build finished first, using it"
fi
update_current
log "built $(du -h "$out/webvirt-guest.iso" | cut -f1) ISO"
echo "$out"
