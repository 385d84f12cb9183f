# Sourced by /sbin/webvirt-net and the udhcpc script (busybox ash).  The functions keep
# their variables local: the callers loop over $dev themselves.
# shellcheck shell=dash disable=SC3043

# net_up DEV ADDR/PREFIX: the line tests wait for, on ttyS0.
net_up() {
    echo "webvirt-guest: $1 up $2 mac $(cat "/sys/class/net/$1/address")" > /dev/ttyS0
    echo "$1 up $2"
}

# net_resolv DOMAIN "DNS...": writes /etc/resolv.conf.
net_resolv() {
    local s
    {
        [ -n "$1" ] && echo "search $1"
        for s in $2; do echo "nameserver $s"; done
    } > /etc/resolv.conf.new && mv /etc/resolv.conf.new /etc/resolv.conf
}

# net_page: (re)writes the page httpd serves on port 80.
net_page() {
    local d dev a
    {
        echo "<!DOCTYPE html><html><head><title>webvirt-guest</title></head><body><pre>"
        echo "WEBVIRT-GUEST-HTTP hostname $(hostname)"
        for d in /sys/class/net/eth*; do
            [ -e "$d" ] || continue
            dev=${d##*/}
            a=$(ip -4 -o addr show dev "$dev" | awk '{ printf "%s%s", s, $4; s = "," }')
            echo "WEBVIRT-GUEST-HTTP $dev mac $(cat "$d/address") ip ${a:-none}"
        done
        echo "</pre></body></html>"
    } > /var/www/index.html.new && mv /var/www/index.html.new /var/www/index.html
}
