# Sourced by the /bin/webvirt-* helpers (busybox ash).
# The variables are used by the helpers, and busybox ash's test has -ef:
# shellcheck shell=dash disable=SC2034,SC3013

# say LINE: print LINE exactly once on ttyS0, which is what tests read, and also on the
# caller's own terminal when that is another one (e.g. tty1, typed through VNC).
say() {
    if [ ! /proc/self/fd/1 -ef /dev/ttyS0 ]; then
        echo "$*"
    fi
    echo "$*" > /dev/ttyS0
}

# The disk the disk helpers use: the first virtio disk.
DISK=/dev/vda
MNT=/mnt/disk

# has_ext_fs: whether $DISK holds an ext2/3/4 file system (superblock magic 0xEF53,
# stored little-endian at byte 1080).  busybox has no blkid.
has_ext_fs() {
    [ "$(od -An -tx1 -j1080 -N2 "$DISK" 2>/dev/null | tr -d ' \n')" = 53ef ]
}
