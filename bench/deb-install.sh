#!/bin/sh
# bench/deb-install.sh - the package, installed as a server would install
# it: `apt-get install ./git-embargo_<version>_<arch>.deb` in a copy of a
# clean Debian bookworm chroot (minbase, with git), then a real push into
# a bare repository whose pre-receive hook `git embargo install` wrote.
# It checks that apt pulls in only the libraries the package depends on,
# that the binary, man page, hooks and completion are where they belong,
# and that a dirty push is rejected and a clean one lands.
#
# Needs root (chroot, mounts) and the network (apt fetches the
# libraries), so `make check` does not run it; run it by hand:
#
#   make deb && sudo sh bench/deb-install.sh build/git-embargo_0.2.0_amd64.deb
#
# CHROOT_BASE (default /work/chroot/base) is never modified: it is copied
# to CHROOT (default /work/chroot/deb-test), which is removed at the end
# unless KEEP=1.
set -eu
deb=$(realpath "$1")
base=${CHROOT_BASE:-/work/chroot/base}
root=${CHROOT:-/work/chroot/deb-test}
name=$(basename "$deb")

[ "$(id -u)" = 0 ] || { echo "deb-install.sh: run as root" >&2; exit 2; }
[ -d "$base/usr" ] || { echo "deb-install.sh: no chroot at $base" >&2; exit 2; }

cleanup() {
	for m in dev/pts dev proc; do
		mountpoint -q "$root/$m" && umount "$root/$m"
	done
	[ "${KEEP:-0}" = 1 ] || rm -rf "$root"
}
rm -rf "$root"
cp -a "$base" "$root"
trap cleanup EXIT
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
cp /etc/resolv.conf "$root/etc/resolv.conf"
cp "$deb" "$root/tmp/$name"

in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 sh -c "$1"; }

before=$(in_root "dpkg-query -W -f='\${Package}\n' | sort")
in_root "apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ./tmp/$name >/tmp/apt.log 2>&1" ||
	{ cat "$root/tmp/apt.log"; exit 1; }
after=$(in_root "dpkg-query -W -f='\${Package}\n' | sort")
echo "== packages apt installed:"
printf '%s\n' "$before" >"$root/tmp/before"
printf '%s\n' "$after" | comm -13 "$root/tmp/before" - | sed 's/^/   /'

echo "== the package's files:"
in_root "test -x /usr/bin/git-embargo && test -f /usr/share/man/man1/git-embargo.1.gz &&
	test -x /usr/share/git-embargo/hooks/pre-receive &&
	test -f /usr/share/bash-completion/completions/git-embargo &&
	test -f /usr/share/doc/git-embargo/deploy.md && echo '   all there'"
in_root "git-embargo --version && git embargo -h >/dev/null && echo '   runs'"

echo "== a push through the installed pre-receive hook:"
in_root '
set -e
cd /tmp
printf "[embargo \"CVE-2026-31337\"]\n\tuntil = 2099-01-01\n" >/etc/embargo.list
git config --system embargo.list /etc/embargo.list
git config --global user.name Tester
git config --global user.email tester@example.org
git config --global init.defaultBranch main
git init -q --bare srv.git
git embargo install srv.git
grep -q "^embargo=./usr/bin/git-embargo.$" srv.git/hooks/pre-receive
git init -q dev
cd dev
git commit -q --allow-empty -m "Clean work"
git push -q ../srv.git main
git commit -q --allow-empty -m "Fix CVE-2026-31337"
if git push ../srv.git main 2>../err; then echo "   dirty push landed" >&2; exit 1; fi
grep -q "push rejected" ../err
test "$(git -C ../srv.git rev-parse main)" = "$(git rev-parse main~1)"
echo "   clean push landed, dirty push rejected"
'
echo "ok: $name installs with apt-get and works in a clean bookworm"
