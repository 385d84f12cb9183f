# Reads the subset of netplan v2 YAML (cloud-init "network-config") that the test guest
# understands and prints one "ID KEY VALUE" line per setting of an ethernets entry:
#
#   network:                      # optional wrapper
#     version: 2
#     ethernets:
#       ID:                       # any name; also the interface name if there is no match
#         match: {macaddress: M}  # block style only: match:\n macaddress: M / name: eth1
#         dhcp4: true             # true/yes
#         addresses: [A/P, ...]   # or a block list "- A/P"
#         gateway4: G
#         routes:                 # only the default route is used
#           - to: default         # or 0.0.0.0/0
#             via: G
#         nameservers:
#           addresses: [D, ...]
#
# KEY is the path below ID joined with dots (match.macaddress, dhcp4, addresses,
# gateway4, nameservers.addresses); list elements give one line each.  A default route
# is printed as "ID gateway4 G".  Flow mappings ({a: b}), anchors and multi-document
# files are not supported.
function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t\r]+$/, "", s); return s }
function unq(s) {
    s = trim(s)
    if (s ~ /^".*"$/ || s ~ /^'.*'$/) s = substr(s, 2, length(s) - 2)
    return s
}
function path(   i, p) {
    p = ""
    for (i = 1; i <= d; i++) if (key[i] != "-") p = p (p == "" ? "" : ".") key[i]
    return p
}
# out(FULLPATH, VALUE): prints it if FULLPATH is below ethernets.ID.
function out(p, v,   n, parts, i, id, rest) {
    n = split(p, parts, ".")
    for (i = 1; i < n; i++) if (parts[i] == "ethernets") break
    if (i >= n) return
    id = parts[i + 1]
    rest = ""
    for (i = i + 2; i <= n; i++) rest = rest (rest == "" ? "" : ".") parts[i]
    if (rest == "") return
    v = tolower(rest) ~ /^match\.macaddress$/ ? tolower(v) : v
    if (rest == "routes.to") { rto[id, item] = v; rid[id, item] = 1; return }
    if (rest == "routes.via") { rvia[id, item] = v; rid[id, item] = 1; return }
    print id, rest, v
}
function emit(p, v,   n, parts, i) {
    v = trim(v)
    if (v ~ /^\[.*\]$/) {
        n = split(substr(v, 2, length(v) - 2), parts, ",")
        for (i = 1; i <= n; i++) if (trim(parts[i]) != "") out(p, unq(parts[i]))
    } else if (v != "") {
        out(p, unq(v))
    }
}
# keyval(INDENT, TEXT): a "key: value" or "key:" at INDENT.
function keyval(n, c,   k, v, pos) {
    pos = index(c, ":")
    if (pos == 0) return
    k = unq(substr(c, 1, pos - 1))
    v = trim(substr(c, pos + 1))
    while (d > 0 && ind[d] >= n) d--
    if (v == "") { d++; ind[d] = n; key[d] = k }
    else emit(path() (path() == "" ? "" : ".") k, v)
}
{
    line = $0
    sub(/\r$/, "", line)
    sub(/(^|[ \t])#.*$/, "", line)
    if (line ~ /^[ \t]*$/ || line ~ /^---/) next
    match(line, /^ */)
    n = RLENGTH
    c = substr(line, n + 1)
    if (c ~ /^-( |$)/) {
        # A list item: pop deeper entries and the previous item of the same list.
        while (d > 0 && (ind[d] > n || (ind[d] == n && key[d] == "-"))) d--
        item++
        c2 = substr(c, 2)
        match(c2, /^ */)
        n2 = n + 1 + RLENGTH
        c2 = substr(c2, RLENGTH + 1)
        if (c2 ~ /^[^"'\[]*:( |$)/) {
            d++; ind[d] = n; key[d] = "-"
            keyval(n2, c2)
        } else {
            emit(path(), c2)
        }
        next
    }
    keyval(n, c)
}
END {
    for (k in rid) {
        split(k, parts, SUBSEP)
        if ((rto[k] == "default" || rto[k] == "0.0.0.0/0") && rvia[k] != "")
            print parts[1], "gateway4", rvia[k]
    }
}
