#!/bin/sh
# packaging/deb.sh - build git-embargo_<version>_<arch>.deb from a built
# tree (run by `make deb`).  The package holds the binary in /usr/bin,
# the man page, the hook scripts, the bash completion and the docs; its
# Depends are exactly the shared libraries the binary links, as
# dpkg-shlibdeps finds them (with the versions their symbols need).
#
#   sh packaging/deb.sh <version> <binary> <output folder>
set -eu
version=$1 bin=$2
mkdir -p "$3"
out=$(cd "$3" && pwd)
arch=$(dpkg --print-architecture)
maintainer=${DEB_MAINTAINER:-git-embargo maintainers <maintainers@git-embargo.invalid>}
top=$(pwd)
work=$out/deb-$arch
rm -rf "$work"
mkdir -p "$work/root/DEBIAN" "$work/shlibs/debian"

make --no-print-directory install DESTDIR="$work/root" PREFIX=/usr \
	BIN="$bin" >/dev/null
strip --strip-unneeded --remove-section=.comment --remove-section=.note \
	"$work/root/usr/bin/git-embargo"
gzip -9n "$work/root/usr/share/man/man1/git-embargo.1"
doc=$work/root/usr/share/doc/git-embargo
mkdir -p "$doc"
cp README.md docs/*.md "$doc/"
cp LICENSE "$doc/copyright"
chmod 644 "$doc"/*

# the libraries the binary links, and nothing else
printf 'Source: git-embargo\n\nPackage: git-embargo\nArchitecture: any\n' \
	>"$work/shlibs/debian/control"
depends=$(cd "$work/shlibs" &&
	dpkg-shlibdeps -O -e"$work/root/usr/bin/git-embargo" 2>/dev/null |
	sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "packaging/deb.sh: dpkg-shlibdeps found no libraries" >&2; exit 1; }

size=$(du -sk --exclude=DEBIAN "$work/root" | cut -f1)
cat >"$work/root/DEBIAN/control" <<CONTROL
Package: git-embargo
Version: $version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $size
Depends: $depends
Recommends: git
Section: vcs
Priority: optional
Description: keep embargoed security issues out of public git history
 git-embargo finds references to security issues still under embargo
 (CVE and GHSA identifiers, tracker ids, aliases, patterns, hashed
 entries, fix fingerprints) in commits, tags, ref names and notes.
 Its pre-push hook stops a developer's push to a public remote; its
 pre-receive hook rejects such a push on the server (plain git, Gitea,
 Forgejo, GitLab, GitHub Enterprise Server, gitolite), and an audit
 checks whole organisations and their SECURITY.md files.
CONTROL
deb=$out/git-embargo_${version}_$arch.deb
dpkg-deb --root-owner-group -Zxz --build "$work/root" "$deb" >/dev/null
echo "$deb"
echo "Depends: $depends" >&2
cd "$top"
