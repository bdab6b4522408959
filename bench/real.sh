#!/bin/sh
# real.sh - bring a real public history into $BENCH_DIR/real/NAME.git.
#
#   sh bench/real.sh NAME SOURCE
#
# SOURCE is a URL (https://github.com/git/git) or a local repository,
# for instance a mirror.  Only refs/heads, refs/tags and refs/notes are
# taken (a GitHub mirror also has refs/pull/*, tens of thousands of
# them), which is what the issue's figures count: git 85,403 commits
# (heads, tags and the 42 commits of refs/notes/amlog), curl 39,573 and
# tcpdump 10,263 (heads and tags).  Nothing here is committed.
#
# A local source that lacks some objects (a partial snapshot: its pack
# has a .promisor file) cannot be fetched from; then its packs are
# copied as they are and only the refs are filtered, so metadata scans
# work and a scan with diffs stops at the first missing blob.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

[ $# -eq 2 ] || bench_die "usage: real.sh NAME SOURCE"
name=$1
src=$2
dst=$BENCH_DIR/real/$name.git
if [ -f "$dst/bench-complete" ]; then
	echo "$dst"
	exit 0
fi
mkdir -p "$BENCH_DIR/real"
rm -rf "$dst"
git init -q --bare "$dst"
if git -C "$dst" fetch -q --no-tags "$src" '+refs/heads/*:refs/heads/*' \
	'+refs/tags/*:refs/tags/*' '+refs/notes/*:refs/notes/*' 2>"$dst/fetch.err"; then
	rm -f "$dst/fetch.err"
elif [ -d "$src/objects/pack" ]; then
	echo "bench: cannot fetch from '$src' ($(grep -a -m1 -i fatal "$dst/fetch.err" | tr -d "\r")):" \
		"copying its packs" >&2
	rm -rf "$dst"
	git init -q --bare "$dst"
	cp "$src"/objects/pack/*.pack "$src"/objects/pack/*.idx "$dst/objects/pack/"
	git -C "$src" for-each-ref --format='create %(refname) %(objectname)' \
		refs/heads refs/tags refs/notes | git -C "$dst" update-ref --stdin
	git -C "$dst" pack-refs --all
	git -C "$dst" fsck --connectivity-only 2>&1 | grep -a '^missing' |
		sed 's/^/bench: /' >&2 || true
else
	cat "$dst/fetch.err" >&2
	bench_die "cannot fetch '$src'"
fi
touch "$dst/bench-complete"
echo "$dst"
