#!/bin/sh
# reach-repo.sh DIR - the repository fuzz_reach walks: 40 commits with
# two merges and an octopus, fixed identity and dates, so that its ids
# (and the commit-graphs in seeds_reach/) are the same on every machine.
#   sh reach-repo.sh DIR seeds   also writes DIR's graphs as seeds there
set -e
dir=$1
export GIT_AUTHOR_NAME=A GIT_AUTHOR_EMAIL=a@example.org
export GIT_COMMITTER_NAME=C GIT_COMMITTER_EMAIL=c@example.org
export GIT_CONFIG_NOSYSTEM=1 HOME=$dir
rm -rf "$dir"
git init -q --bare -b main "$dir/.git" && git -C "$dir" config core.bare false
cd "$dir"
n=0
c() {
	n=$((n + 1))
	GIT_AUTHOR_DATE="2026-01-01T00:$((n / 60)):$((n % 60))Z" \
	GIT_COMMITTER_DATE="2026-01-01T00:$((n / 60)):$((n % 60))Z" \
		git commit -q --allow-empty -m "c$n"
}
m() {
	n=$((n + 1))
	GIT_AUTHOR_DATE="2026-01-01T00:$((n / 60)):$((n % 60))Z" \
	GIT_COMMITTER_DATE="2026-01-01T00:$((n / 60)):$((n % 60))Z" \
		git merge -q --no-ff -m "m$n" "$@" >/dev/null
}
for i in 1 2 3 4 5 6 7 8 9 10; do c; done
git branch a; git branch b; git branch o1; git branch o2
for i in 1 2 3 4 5; do c; done
git checkout -q a; for i in 1 2 3 4 5; do c; done
git checkout -q b; for i in 1 2 3; do c; done
git checkout -q o1; c; git checkout -q o2; c
git checkout -q main; m a; m b; m o1 o2
for i in 1 2 3 4 5; do c; done
git branch old main~7
if [ "${2:-}" ]; then
	git -c commitGraph.generationVersion=1 commit-graph write --reachable
	cp .git/objects/info/commit-graph "$2/graph-v1"
	git -c commitGraph.generationVersion=2 commit-graph write --reachable
	cp .git/objects/info/commit-graph "$2/graph-v2"
	git commit-graph write --reachable --changed-paths
	cp .git/objects/info/commit-graph "$2/graph-bloom"
fi
