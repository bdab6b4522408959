#!/bin/sh
# bench/mkhistory.sh DIR N - make a repository DIR with N commits on
# `main` for the benchmarks: one file changed per commit, and every 20th
# commit a merge of a two-commit topic branch, so walks meet merges as
# they do in real projects.  Dates rise by half a minute to a minute per
# commit.  Uses git fast-import: about 30 s per 100,000 commits here.
set -eu
dir=$1 n=$2
rm -rf "$dir"
git init -q -b main "$dir"
awk -v n="$n" 'BEGIN {
	t = 1500000000; m = 0;
	for (i = 1; m < n; i++) {
		if (i % 20 == 0 && i > 5 && m + 3 <= n) {
			# a topic of two commits from 5 commits back, then merged
			printf "reset refs/heads/topic\nfrom :%d\n", m - 4;
			for (k = 1; k <= 2; k++) {
				m++; t += 30;
				printf "commit refs/heads/topic\nmark :%d\n", m;
				printf "committer T O Pic <topic@example.org> %d +0000\n", t;
				msg = sprintf("topic work %d.%d\n", i, k);
				printf "data %d\n%s", length(msg), msg;
				c = sprintf("topic %d %d\n", i, k);
				printf "M 100644 inline topic/t%d\ndata %d\n%s\n", i % 97, length(c), c;
			}
			topic = m;
			m++; t += 30;
			printf "commit refs/heads/main\nmark :%d\n", m;
			printf "committer M A Intainer <main@example.org> %d +0000\n", t;
			msg = sprintf("Merge topic %d\n", i);
			printf "data %d\n%s", length(msg), msg;
			printf "from :%d\nmerge :%d\n\n", main, topic;
			main = m;
			continue;
		}
		m++; t += 60;
		printf "commit refs/heads/main\nmark :%d\n", m;
		printf "committer A U Thor <author@example.org> %d +0000\n", t;
		msg = sprintf("change %d: adjust module %d\n\nBody of commit %d.\n", i, i % 2000, i);
		printf "data %d\n%s", length(msg), msg;
		if (main)
			printf "from :%d\n", main;
		c = sprintf("value %d\n", i);
		printf "M 100644 inline d%d/f%d\ndata %d\n%s\n", i % 20, i % 2000, length(c), c;
		main = m;
	}
}' | git -C "$dir" fast-import --quiet
git -C "$dir" branch -q -D topic
git -C "$dir" reset -q --hard main
