/*
 * test_scan.c - the history scanner on real repositories made with git:
 * messages, identities, trailers, added/removed/moved lines, renames,
 * merges, root commits, paths, binary and oversized blobs, tags, refs,
 * notes, ranges, threads and non-UTF-8 messages.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embargo/buf.h"
#include "embargo/error.h"
#include "embargo/list.h"
#include "embargo/match.h"
#include "embargo/report.h"
#include "embargo/scan.h"
#include "embargo/walk.h"

static const char list_text[] = "[embargo \"CVE-2026-31337\"]\n"
				"\tuntil = 2099-12-31\n"
				"\talias = Bleeding Heart\n"
				"[embargo \"SEC-1042\"]\n";

struct env {
	char *dir;
	char *repo;
	struct emb_list list;
	struct emb_matcher *m;
	unsigned notes;
};

static struct env E;

static void on_note(void *payload, const char *msg)
{
	(void)payload;
	(void)msg;
	E.notes++;
}

static int setup(void **state)
{
	char *path;

	(void)state;
	th_env();
	memset(&E, 0, sizeof(E));
	E.dir = th_mkdtemp();
	E.repo = th_repo(E.dir, "r", false);
	th_write(E.dir, "list", list_text);
	if (asprintf(&path, "%s/list", E.dir) < 0)
		abort();
	assert_int_equal(emb_list_load_file(&E.list, path), 0);
	assert_int_equal(emb_matcher_new(&E.m, &E.list, NULL, 0), 0);
	free(path);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	emb_matcher_free(E.m);
	emb_list_release(&E.list);
	th_rmrf(E.dir);
	free(E.dir);
	free(E.repo);
	return 0;
}

/*
 * Scan `revs` (space-separated, none: --all) and describe each finding
 * as "kind where id" on its own line, where is the commit subject (or
 * ref), plus path:line when there is one.
 */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Scan `revs` (space-separated; none: --all) and describe each finding
 * as "kind where[ path][:line] id", where is the commit subject or the
 * ref; lines sorted, so the order of the walk does not matter.
 */
static char *scan_opts(const char *revs, struct emb_scan_opts *opts,
		       int expect_error)
{
	struct emb_findings f = EMB_FINDINGS_INIT;
	struct emb_range range = EMB_RANGE_INIT;
	struct emb_buf out = EMB_BUF_INIT;
	git_repository *repo;
	char *argv[16], *copy = emb_xstrdup(revs ? revs : ""), *tok;
	char **lines;
	int argc = 0, error;
	size_t i;

	for (tok = strtok(copy, " "); tok && argc < 16; tok = strtok(NULL, " "))
		argv[argc++] = tok;
	assert_int_equal(git_repository_open(&repo, E.repo), 0);
	assert_int_equal(emb_range_from_args(&range, repo, argc, argv), 0);
	error = emb_scan_range(repo, E.m, &range, opts, &f, NULL);
	assert_int_equal(error, expect_error);
	lines = emb_xcalloc(f.n + 1, sizeof(char *));
	for (i = 0; i < f.n; i++) {
		const struct emb_finding *x = &f.v[i];
		struct emb_buf l = EMB_BUF_INIT;
		char idbuf[64];

		emb_buf_printf(&l, "%s %s", emb_kind_name(x->kind),
			       x->subject ? x->subject :
			       x->ref	  ? x->ref :
					    "-");
		if (x->path)
			emb_buf_printf(&l, " %s", x->path);
		if (x->line)
			emb_buf_printf(&l, ":%zu", x->line);
		emb_buf_printf(&l, " %s\n",
			       emb_finding_identifier(x, idbuf, sizeof(idbuf)));
		lines[i] = emb_buf_detach(&l);
	}
	qsort(lines, f.n, sizeof(char *), cmp_str);
	for (i = 0; i < f.n; i++) {
		emb_buf_puts(&out, lines[i]);
		free(lines[i]);
	}
	free(lines);
	emb_findings_release(&f);
	emb_range_release(&range);
	git_repository_free(repo);
	free(copy);
	return emb_buf_detach(&out);
}

/* Every finding of a scan of all refs, on one thread, as records. */
static void scan_records(struct emb_findings *f)
{
	struct emb_scan_opts opts = EMB_SCAN_OPTS_INIT;
	struct emb_range range = EMB_RANGE_INIT;
	git_repository *repo;

	opts.threads = 1;
	assert_int_equal(git_repository_open(&repo, E.repo), 0);
	assert_int_equal(emb_range_from_args(&range, repo, 0, NULL), 0);
	assert_int_equal(emb_scan_range(repo, E.m, &range, &opts, f, NULL), 0);
	emb_range_release(&range);
	git_repository_free(repo);
}

static char *scan(const char *revs)
{
	struct emb_scan_opts opts = EMB_SCAN_OPTS_INIT;

	opts.threads = 1;
	opts.note = on_note;
	return scan_opts(revs, &opts, 0);
}

#define assert_scan(revs, expected)                                            \
	do {                                                                   \
		char *got_ = scan(revs);                                       \
		assert_string_equal(got_, expected);                           \
		free(got_);                                                    \
	} while (0)

static void sh(const char *cmd)
{
	assert_int_equal(th_sh(E.repo, "%s", cmd), 0);
}

static void commit(const char *msg)
{
	assert_int_equal(th_commit(E.repo, msg), 0);
}

static void test_message_identity_trailers(void **state)
{
	(void)state;
	th_write(E.repo, "a.txt", "hello\n");
	commit("Fix heap overflow\n\nDetails here.\n\nFixes: SEC-1042\n");
	sh("GIT_AUTHOR_NAME='Bleeding Heart bot' "
	   "git commit -q --allow-empty -m 'Tidy up'");
	sh("GIT_COMMITTER_EMAIL=sec-1042@example.org "
	   "git commit -q --allow-empty -m 'Robot'");
	assert_scan(NULL, "author Tidy up CVE-2026-31337\n"
			  "committer Robot SEC-1042\n"
			  "message Fix heap overflow:5 SEC-1042\n");
}

static void test_added_removed_moved(void **state)
{
	(void)state;
	th_write(E.repo, "a.txt", "one\nfix for CVE-2026-31337 here\ntwo\n");
	commit("c1");
	th_write(E.repo, "a.txt", "one\ntwo\n");
	commit("c2 removes the reference");
	th_write(E.repo, "a.txt", "one\ntwo\nsee SEC-1042\n");
	commit("c3");
	th_write(E.repo, "a.txt", "see SEC-1042\none\ntwo\n");
	commit("c4 moves it within the file");
	th_write(E.repo, "a.txt", "one\ntwo\n");
	th_write(E.repo, "b.txt", "see SEC-1042\n");
	commit("c5 moves it to another file");
	sh("git mv b.txt c.txt && git commit -q -m 'c6 renames'");
	th_write(E.repo, "c.txt", "  see SEC-1042\r\n");
	commit("c7 changes the line");
	assert_scan(NULL, "line c1 a.txt:2 CVE-2026-31337\n"
			  "line c3 a.txt:3 SEC-1042\n"
			  "line c7 changes the line c.txt:1 SEC-1042\n");
}

static void test_merges(void **state)
{
	(void)state;
	th_write(E.repo, "base.txt", "base\n");
	commit("root");
	sh("git checkout -q -b side");
	th_write(E.repo, "s.txt", "side SEC-1042\n");
	commit("side work");
	sh("git checkout -q main");
	th_write(E.repo, "m.txt", "main\n");
	commit("main work");
	/* a reference only in the merged parent belongs to that parent */
	sh("git merge -q --no-ff side -m 'merge side'");

	sh("git checkout -q -b side2");
	th_write(E.repo, "base.txt", "side2 SEC-1042\n");
	commit("side2");
	sh("git checkout -q main");
	th_write(E.repo, "base.txt", "main2\n");
	commit("main2");
	/* a conflict resolved with new text: the merge introduces it */
	assert_int_not_equal(th_sh(E.repo, "git merge -q side2 >/dev/null"), 0);
	th_write(E.repo, "base.txt",
		 "side2 SEC-1042\nresolved the Bleeding Heart way\n");
	sh("git add base.txt && git commit -q -m 'merge side2'");
	assert_scan(NULL, "line merge side2 base.txt:2 CVE-2026-31337\n"
			  "line side work s.txt:1 SEC-1042\n"
			  "line side2 base.txt:1 SEC-1042\n");
}

static void test_root_and_paths(void **state)
{
	(void)state;
	th_write(E.repo, "tests/cve-2026-31337.c", "int x;\n");
	th_write(E.repo, "SEC-1042/a.txt", "a\n");
	commit("c1");
	/* a new file in a folder that already existed: not a new name */
	th_write(E.repo, "SEC-1042/b.txt", "b\n");
	commit("c2");
	sh("git mv tests/cve-2026-31337.c tests/renamed.c && "
	   "mkdir docs && git mv SEC-1042/a.txt docs/sec_1042.txt && "
	   "git commit -q -m c3");
	assert_scan(NULL, "path c1 SEC-1042/a.txt SEC-1042\n"
			  "path c1 tests/cve-2026-31337.c CVE-2026-31337\n"
			  "path c3 docs/sec_1042.txt SEC-1042\n");
}

static void test_binary_and_oversized(void **state)
{
	struct emb_scan_opts opts = EMB_SCAN_OPTS_INIT;
	char *got;

	(void)state;
	sh("printf 'CVE-2026-31337\\000\\001\\002' > bin.dat");
	sh("for i in 1 2 3 4 5 6 7 8 9 10; do echo \"line $i SEC-1042\"; "
	   "done > big.txt");
	th_write(E.repo, "small.txt", "SEC-1042 ok\n");
	commit("c1");
	opts.threads = 1;
	opts.note = on_note;
	opts.max_blob_size = 100;
	E.notes = 0;
	got = scan_opts(NULL, &opts, 0);
	/* a binary's printable runs are read, a large file in pieces */
	assert_string_equal(got, "binary c1 bin.dat CVE-2026-31337\n"
				 "line c1 big.txt:1 SEC-1042\n"
				 "line c1 big.txt:10 SEC-1042\n"
				 "line c1 big.txt:2 SEC-1042\n"
				 "line c1 big.txt:3 SEC-1042\n"
				 "line c1 big.txt:4 SEC-1042\n"
				 "line c1 big.txt:5 SEC-1042\n"
				 "line c1 big.txt:6 SEC-1042\n"
				 "line c1 big.txt:7 SEC-1042\n"
				 "line c1 big.txt:8 SEC-1042\n"
				 "line c1 big.txt:9 SEC-1042\n"
				 "line c1 small.txt:1 SEC-1042\n");
	assert_int_equal(E.notes, 0);
	free(got);
}

/*
 * Files over embargo.maxBlobSize are read in windows of 1 MiB: lines
 * numbered across windows, a hit on the line both windows hold reported
 * once, an alias over the cut found.  Loose, then packed whole; stored
 * as a delta in a pack they cannot be read in pieces: a scan counts and
 * warns, a hook's scan stops naming the file and the setting.
 */
static void test_large_files(void **state)
{
	struct emb_scan_opts opts = EMB_SCAN_OPTS_INIT;
	struct emb_findings f = EMB_FINDINGS_INIT;
	struct emb_range range = EMB_RANGE_INIT;
	struct emb_scan_stats st;
	git_repository *repo;
	const char *want = "line c1 big.txt:100 SEC-1042\n"
			   "line c1 big.txt:16384 CVE-2026-31337\n"
			   "line c1 big.txt:16384 SEC-1042\n"
			   "line c1 big.txt:49999 SEC-1042\n";
	char *got;

	(void)state;
	/* 64-byte lines: the first window ends with line 16384 */
	sh("perl -e 'for $i (1..50000) { $t = \"line $i\"; "
	   "$t = \"SEC-1042 at 100\" if $i == 100; "
	   "$t = \"SEC-1042 the Bleeding\" if $i == 16384; "
	   "$t = \"Heart bug\" if $i == 16385; "
	   "$t = \"SEC-1042 last\" if $i == 49999; "
	   "printf \"%-63s\\n\", $t }' > big.txt");
	commit("c1");
	opts.threads = 1;
	opts.max_blob_size = 100000;
	got = scan_opts(NULL, &opts, 0);
	assert_string_equal(got, want);
	free(got);
	sh("git repack -adq");
	got = scan_opts(NULL, &opts, 0);
	assert_string_equal(got, want);
	free(got);

	/* a second version, and a repack that stores one as a delta */
	sh("sed -i 's/^line 7 /line 7x/' big.txt && git commit -qam c2 && "
	   "git repack -adfq");
	assert_int_equal(git_repository_open(&repo, E.repo), 0);
	assert_int_equal(emb_range_from_args(&range, repo, 0, NULL), 0);
	assert_int_equal(emb_scan_range(repo, E.m, &range, &opts, &f, &st), 0);
	assert_int_equal(st.blobs_unscanned, 1);
	opts.unscanned_fails = true;
	assert_int_equal(emb_scan_range(repo, E.m, &range, &opts, &f, NULL),
			 EMB_EREPO);
	assert_non_null(strstr(emb_error_last(), "cannot scan 'big.txt'"));
	assert_non_null(strstr(emb_error_last(), "embargo.maxBlobSize"));
	/* which a larger setting reads whole */
	opts.max_blob_size = 8 << 20;
	assert_int_equal(emb_scan_range(repo, E.m, &range, &opts, &f, NULL), 0);
	emb_findings_release(&f);
	emb_range_release(&range);
	git_repository_free(repo);
}

/*
 * UTF-16 and UTF-32, with a byte-order mark or without, are decoded and
 * their lines numbered as decoded; binaries give their printable runs,
 * placed by offset.  Near misses: an identifier split by a NUL, or
 * spread over 16-bit units that are not all ASCII.
 */
static void test_decoded_and_binary(void **state)
{
	struct emb_findings f = EMB_FINDINGS_INIT;
	size_t i;

	(void)state;
	sh("printf 'one\\ntwo SEC-1042\\n' | iconv -t UTF-16 > bom16.txt && "
	   "printf 'a\\nb\\nc CVE-2026-31337\\n' | iconv -t UTF-16BE "
	   "  > be16.txt && "
	   "printf 'x\\r\\ny SEC-1042\\r\\n' | iconv -t UTF-32 > bom32.txt && "
	   "printf 'x\\ny SEC-1042\\n' | iconv -t UTF-32LE > le32.txt && "
	   "printf '\\177ELF\\000\\000\\001hdr\\000fix SEC-1042 now\\000\\002' "
	   "  > prog.bin && "
	   "printf '\\000\\001W\\000i\\000:\\000 \\000S\\000E\\000C\\000-\\000"
	   "1\\0000\\0004\\0002\\000\\000\\000' > wide.bin && "
	   "printf 'CVE-2026-\\00031337 SEC-10\\000042\\n' > split.bin && "
	   "printf 'S\\000E\\000C\\000-\\0001\\0000\\0004\\0002\\0003\\000' "
	   "  > bad16.txt");
	commit("c1");
	assert_scan(NULL, "binary c1 prog.bin SEC-1042\n"
			  "binary c1 wide.bin SEC-1042\n"
			  "line c1 be16.txt:3 CVE-2026-31337\n"
			  "line c1 bom16.txt:2 SEC-1042\n"
			  "line c1 bom32.txt:2 SEC-1042\n"
			  "line c1 le32.txt:2 SEC-1042\n");

	/* offsets point into the file as it is stored */
	scan_records(&f);
	for (i = 0; i < f.n; i++) {
		if (f.v[i].kind != EMB_KIND_BINARY)
			continue;
		if (!strcmp(f.v[i].path, "prog.bin"))
			assert_int_equal(f.v[i].offset, 15);
		else
			assert_int_equal(f.v[i].offset, 10);
	}
	emb_findings_release(&f);
}

/*
 * Large UTF-16 and binary files read in windows: decoded lines counted
 * on across windows, binary offsets from the start of the file.
 */
static void test_large_decoded(void **state)
{
	struct emb_scan_opts opts = EMB_SCAN_OPTS_INIT;
	struct emb_findings f = EMB_FINDINGS_INIT;
	struct emb_range range = EMB_RANGE_INIT;
	git_repository *repo;
	char *got;
	size_t i, nbin = 0;

	(void)state;
	sh("perl -e 'for $i (1..100000) { print $i == 90000 ? "
	   "\"SEC-1042 here\\n\" : \"line $i\\n\" }' | iconv -t UTF-16 "
	   "  > big16.txt && "
	   "perl -e 'print \"\\0\\1\\2\\3\" x 625000, \"fix SEC-1042\\0\", "
	   "  \"\\0\\1\\2\\3\" x 100000' > big.bin && "
	   /* a mark, and no NUL before the first ASCII past 8000 bytes */
	   "perl -e 'print \"\\xff\\xfe\", \"\\x01\\x4e\" x 60000, "
	   "  join(\"\\0\", split(//, \"\\nSEC-1042 late\\n\")), \"\\0\"' "
	   "  > late16.txt && "
	   /* and windows after the first that open with no ASCII */
	   "perl -e 'print \"\\xff\\xfe\", \"\\x01\\x4e\" x 600000, "
	   "  join(\"\\0\", split(//, \"\\nSEC-1042 later\\n\")), \"\\0\"' "
	   "  > cjk16.txt");
	commit("c1");
	opts.threads = 1;
	opts.max_blob_size = 100000;
	got = scan_opts(NULL, &opts, 0);
	assert_string_equal(got, "binary c1 big.bin SEC-1042\n"
				 "line c1 big16.txt:90000 SEC-1042\n"
				 "line c1 cjk16.txt:2 SEC-1042\n"
				 "line c1 late16.txt:2 SEC-1042\n");
	free(got);
	assert_int_equal(git_repository_open(&repo, E.repo), 0);
	assert_int_equal(emb_range_from_args(&range, repo, 0, NULL), 0);
	assert_int_equal(emb_scan_range(repo, E.m, &range, &opts, &f, NULL), 0);
	for (i = 0; i < f.n; i++)
		if (f.v[i].kind == EMB_KIND_BINARY) {
			assert_int_equal(f.v[i].offset, 2500000 + 4);
			nbin++;
		}
	assert_int_equal(nbin, 1);
	emb_findings_release(&f);
	emb_range_release(&range);
	git_repository_free(repo);
}

/*
 * A large binary read in windows: an identifier over the cut between
 * two windows is found, once, and placed by its offset in the file.
 */
static void test_large_binary_cut(void **state)
{
	struct emb_scan_opts opts = EMB_SCAN_OPTS_INIT;
	struct emb_findings f = EMB_FINDINGS_INIT;
	struct emb_range range = EMB_RANGE_INIT;
	git_repository *repo;
	char *got;

	(void)state;
	/* the first window (1 MiB) ends after "fix SEC-" */
	sh("perl -e 'print \"\\0\\1\\2\\3\" x 262142, \"fix SEC-1042\\0\", "
	   "  \"\\0\\1\\2\\3\" x 1000' > cut.bin");
	commit("c1");
	opts.threads = 1;
	opts.max_blob_size = 100000;
	got = scan_opts(NULL, &opts, 0);
	assert_string_equal(got, "binary c1 cut.bin SEC-1042\n");
	free(got);
	assert_int_equal(git_repository_open(&repo, E.repo), 0);
	assert_int_equal(emb_range_from_args(&range, repo, 0, NULL), 0);
	assert_int_equal(emb_scan_range(repo, E.m, &range, &opts, &f, NULL), 0);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.v[0].offset, 1048568 + 4);
	emb_findings_release(&f);
	emb_range_release(&range);
	git_repository_free(repo);
}

/*
 * A line that sat only in a version the scanner read otherwise (a
 * binary's run, a file over embargo.maxBlobSize, read in pieces and not
 * indexed) is new when a later commit makes the file text again: the
 * clean-up commit is reported.
 */
static void test_skipped_versions(void **state)
{
	struct emb_scan_opts opts = EMB_SCAN_OPTS_INIT;
	char *got;

	(void)state;
	sh("printf 'a\\nfix CVE-2026-31337\\n\\000\\n' > f.txt && "
	   "for i in $(seq 1 20); do echo \"line $i\"; done > big.txt && "
	   "echo 'see SEC-1042' >> big.txt");
	commit("binary and big");
	sh("printf 'a\\nfix CVE-2026-31337\\n' > f.txt && "
	   "echo 'see SEC-1042' > big.txt");
	commit("clean up");
	/* a binary changed elsewhere: its old run is not new */
	sh("printf 'b\\nfix CVE-2026-31337\\n\\000\\n' > g.bin");
	commit("g1");
	sh("printf 'c\\nfix CVE-2026-31337\\n\\000\\n' > g.bin");
	commit("g2");
	opts.threads = 1;
	opts.max_blob_size = 100;
	opts.note = on_note;
	got = scan_opts(NULL, &opts, 0);
	assert_string_equal(got, "binary binary and big f.txt CVE-2026-31337\n"
				 "binary g1 g.bin CVE-2026-31337\n"
				 "line binary and big big.txt:21 SEC-1042\n"
				 "line clean up big.txt:1 SEC-1042\n"
				 "line clean up f.txt:2 CVE-2026-31337\n");
	free(got);
}

/*
 * An alias split over two lines, the first of which was already there:
 * the commit that adds the second line completes it and is reported.
 * Changing a third line around both is not.
 */
static void test_alias_over_lines(void **state)
{
	(void)state;
	th_write(E.repo, "a.txt", "intro\nthe Bleeding\nend\n");
	commit("c1");
	th_write(E.repo, "a.txt", "intro\nthe Bleeding\nHeart bug\nend\n");
	commit("c2 completes it");
	th_write(E.repo, "a.txt", "intro2\nthe Bleeding\nHeart bug\nend\n");
	commit("c3 changes another line");
	assert_scan(NULL, "line c2 completes it a.txt:2 CVE-2026-31337\n");
}

/*
 * The case that took 10-30 s: a commit adding 300 hit lines to a large
 * file while removing a folder.  Every new line is reported, the moved
 * ones are not (bench/hitlines.sh measures the cost).
 */
static void test_many_hit_lines(void **state)
{
	char *got, *want;
	struct emb_buf w = EMB_BUF_INIT;
	int i;

	(void)state;
	sh("mkdir -p old && for i in $(seq 1 50); do "
	   "  for j in $(seq 1 40); do echo \"old $i $j\"; done > old/f$i; "
	   "done && echo 'moved SEC-1042 line' > old/f7 && "
	   "for i in $(seq 1 2000); do echo \"filler $i\"; done > big.txt");
	commit("c1");
	sh("git rm -rq old && for i in $(seq 1 300); do "
	   "  echo \"new $i SEC-1042\"; done >> big.txt && "
	   "echo 'moved SEC-1042 line' >> big.txt && git add big.txt");
	commit("c2");
	got = scan(NULL);
	emb_buf_puts(&w, "line c1 old/f7:1 SEC-1042\n");
	for (i = 0; i < 300; i++)
		emb_buf_printf(&w, "line c2 big.txt:%d SEC-1042\n", 2001 + i);
	want = emb_buf_detach(&w);
	{
		/* the lines sort as strings */
		char *lines[301], *p = want;
		size_t n = 0, k;
		struct emb_buf s = EMB_BUF_INIT;

		while (*p) {
			lines[n++] = p;
			p = strchr(p, '\n');
			*p++ = '\0';
		}
		qsort(lines, n, sizeof(char *), cmp_str);
		for (k = 0; k < n; k++)
			emb_buf_printf(&s, "%s\n", lines[k]);
		assert_string_equal(got, s.ptr);
		emb_buf_release(&s);
	}
	free(want);
	free(got);
}

static void test_tags_refs_notes(void **state)
{
	(void)state;
	commit("first");
	sh("git tag CVE-2026-31337-fix && "
	   "git tag -a v1 -m 'Release' -m 'Includes the Bleeding Heart fix' && "
	   "git branch fix/SEC-1042 && "
	   "git notes add -m 'see SEC-1042' HEAD");
	assert_scan(NULL, "note first:1 SEC-1042\n"
			  "ref refs/heads/fix/SEC-1042 SEC-1042\n"
			  "tag refs/tags/CVE-2026-31337-fix CVE-2026-31337\n"
			  "tag refs/tags/v1:3 CVE-2026-31337\n");
	/* a range names no refs but the ones given */
	assert_scan("main", "note first:1 SEC-1042\n");
}

static void test_no_diffs(void **state)
{
	struct emb_scan_opts opts = EMB_SCAN_OPTS_INIT;
	char *got;

	(void)state;
	th_write(E.repo, "SEC-1042.txt", "CVE-2026-31337\n");
	commit("add Bleeding Heart notes");
	opts.threads = 1;
	opts.diffs = false;
	got = scan_opts(NULL, &opts, 0);
	assert_string_equal(got, "message add Bleeding Heart notes:1 "
				 "CVE-2026-31337\n");
	free(got);
}

static void test_ranges(void **state)
{
	(void)state;
	commit("one SEC-1042");
	commit("two CVE-2026-31337");
	commit("three");
	assert_scan("HEAD~2..HEAD", "message two CVE-2026-31337:1 "
				    "CVE-2026-31337\n");
	assert_scan("^HEAD~2 HEAD", "message two CVE-2026-31337:1 "
				    "CVE-2026-31337\n");
	assert_scan("HEAD~1", "message one SEC-1042:1 SEC-1042\n"
			      "message two CVE-2026-31337:1 CVE-2026-31337\n");
	/* one commit, as git's X^! */
	assert_scan("HEAD~1^!", "message two CVE-2026-31337:1 "
				"CVE-2026-31337\n");
	assert_scan("HEAD~2^!", "message one SEC-1042:1 SEC-1042\n");
	assert_scan("HEAD^!", "");
}

static void test_threads_agree(void **state)
{
	struct emb_scan_opts opts = EMB_SCAN_OPTS_INIT;
	char *one, *two;
	size_t n = 0;
	const char *p;

	(void)state;
	sh("for i in $(seq 1 60); do "
	   "  if [ $((i % 3)) = 0 ]; then echo \"$i SEC-1042\" >> f$((i % "
	   "7)).txt; "
	   "  else echo \"$i\" >> f$((i % 7)).txt; fi; "
	   "  git add -A && git commit -q -m \"c$i\"; done");
	opts.threads = 1;
	one = scan_opts(NULL, &opts, 0);
	for (p = one; (p = strchr(p, '\n')); p++)
		n++;
	assert_int_equal(n, 20);
	/* the blobs read on a second thread, in batches of 1, 3 and all;
	 * loose, then packed (read in pack order) */
	opts.threads = 2;
	for (n = 0; n < 6; n++) {
		static const size_t sizes[] = { 1, 3, 0 };

		if (n == 3)
			sh("git gc -q");
		opts.batch = sizes[n % 3];
		two = scan_opts(NULL, &opts, 0);
		assert_string_equal(one, two);
		free(two);
	}
	opts.threads = 1;
	opts.batch = 2;
	two = scan_opts(NULL, &opts, 0);
	assert_string_equal(one, two);
	free(two);
	free(one);
}

static void test_not_utf8_message(void **state)
{
	(void)state;
	sh("printf 'caf\\351 CVE-2026-31337\\n' > ../msg && "
	   "git -c i18n.commitEncoding=latin1 commit -q --allow-empty "
	   "-F ../msg");
	assert_scan(NULL, "message caf\xef\xbf\xbd CVE-2026-31337:1 "
			  "CVE-2026-31337\n");
}

static void test_shallow(void **state)
{
	char *full = E.repo, *shallow;

	(void)state;
	th_write(E.repo, "a.txt", "x SEC-1042\n");
	commit("c1");
	th_write(E.repo, "a.txt", "x SEC-1042\ny\n");
	commit("c2");
	assert_scan(NULL, "line c1 a.txt:1 SEC-1042\n");

	/*
	 * A shallow clone's boundary commit has no parents here: like
	 * `git log -p`, it counts as a root, so what it contains is new.
	 */
	assert_int_equal(th_sh(E.dir,
			       "git clone -q --depth 1 file://%s "
			       "shallow 2>/dev/null",
			       E.repo),
			 0);
	if (asprintf(&shallow, "%s/shallow", E.dir) < 0)
		abort();
	E.repo = shallow;
	assert_scan(NULL, "line c2 a.txt:1 SEC-1042\n");
	E.repo = full;
	free(shallow);
}

/*
 * Trees and commits are read raw: modes of old git (100664) are files
 * like 100644, and a tree or commit that does not parse is a repository
 * error naming it.
 */
static void test_raw_objects(void **state)
{
	struct emb_scan_opts opts = EMB_SCAN_OPTS_INIT;
	char *got;

	(void)state;
	sh("b=$(printf 'x\\nSEC-1042 fix\\n' | git hash-object -w --stdin) && "
	   "t=$(perl -e 'print \"100664 old.txt\\0\", pack(\"H*\", $ARGV[0])' "
	   "    $b | git hash-object -t tree -w --stdin --literally) && "
	   "git update-ref refs/heads/old $(git commit-tree $t -m 'old "
	   "modes')");
	assert_scan(NULL, "line old modes old.txt:2 SEC-1042\n");

	sh("t=$(printf '100644 bad' | "
	   "    git hash-object -t tree -w --stdin --literally) && "
	   "git update-ref refs/heads/bad $(git commit-tree $t -m bad) && "
	   "echo $t > bad-tree");
	opts.threads = 1;
	got = scan_opts(NULL, &opts, EMB_EREPO);
	assert_non_null(strstr(emb_error_last(), "corrupt tree "));
	free(got);
	got = th_sh_out(E.repo, NULL, "cat bad-tree");
	got[strcspn(got, "\n")] = '\0';
	assert_non_null(strstr(emb_error_last(), got));
	free(got);

	/* so is a commit without a tree, the parent of a good one */
	sh("git update-ref -d refs/heads/bad && "
	   "c=$(printf 'author A <a@b> 1 +0000\\n\\nno tree\\n' | "
	   "    git hash-object -t commit -w --stdin --literally) && "
	   "t=$(git rev-parse old^{tree}) && "
	   "g=$(printf 'tree %s\\nparent %s\\nauthor A <a@b> 1 +0000\\n"
	   "committer A <a@b> 1 +0000\\n\\ngood\\n' $t $c | "
	   "    git hash-object -t commit -w --stdin) && "
	   "git update-ref refs/heads/bad $g && echo $c > bad-commit");
	got = scan_opts(NULL, &opts, EMB_EREPO);
	free(got);
	assert_non_null(strstr(emb_error_last(), "corrupt commit "));
	got = th_sh_out(E.repo, NULL, "cat bad-commit");
	got[strcspn(got, "\n")] = '\0';
	assert_non_null(strstr(emb_error_last(), got));
	free(got);
}

/*
 * A "parent" line after the identities is no parent, for git as for
 * libgit2: a commit cannot hide a line it adds behind a parent that
 * only the scanner would see.
 */
static void test_fake_parent(void **state)
{
	(void)state;
	th_write(E.repo, "f", "a\n");
	commit("base");
	sh("git checkout -q -b secret && echo 'fix SEC-1042' >> f && "
	   "git commit -qam secret && git checkout -q - && "
	   "s=$(git rev-parse secret) && "
	   "c=$(printf 'tree %s\\nparent %s\\nauthor A <a@b> 1 +0000\\n"
	   "committer A <a@b> 1 +0000\\nparent %s\\n\\npublic\\n' "
	   "    $(git rev-parse secret^{tree}) $(git rev-parse HEAD) $s | "
	   "    git hash-object -t commit -w --stdin --literally) && "
	   "git update-ref refs/heads/pub $c && git branch -q -D secret");
	assert_scan("HEAD..pub", "line public f:2 SEC-1042\n");
}

/*
 * Every header git shows: a mergetag (a signed tag's message inside a
 * merge), gpgsig, encoding, a second committer; reported as header
 * lines of the raw commit.  Near misses in them stay quiet.
 */
static void test_commit_headers(void **state)
{
	(void)state;
	commit("base");
	sh("t=$(git rev-parse HEAD^{tree}) && p=$(git rev-parse HEAD) && "
	   "printf 'tree %s\nparent %s\nauthor A <a@b> 1 +0000\n"
	   "committer A <a@b> 1 +0000\n"
	   "mergetag object %s\n type commit\n tag v1\n"
	   " tagger T <t@b> 1 +0000\n \n Fixes SEC-1042\n"
	   "gpgsig -----BEGIN PGP SIGNATURE-----\n CVE-2026-31337\n"
	   " SEC-10420 SEC-1042x\n -----END PGP SIGNATURE-----\n"
	   "\nmerged\n' $t $p $p | "
	   "git hash-object -t commit -w --stdin --literally > c1 && "
	   "printf 'tree %s\nparent %s\nauthor A <a@b> 1 +0000\n"
	   "committer A <a@b> 1 +0000\n"
	   "committer Bleeding Heart <x@b> 1 +0000\n"
	   "encoding SEC-1042\n\nplain\n' $t $(cat c1) | "
	   "git hash-object -t commit -w --stdin --literally > c2 && "
	   "git update-ref refs/heads/main $(cat c2)");
	assert_scan(NULL, "header merged:10 SEC-1042\n"
			  "header merged:12 CVE-2026-31337\n"
			  "header plain:5 CVE-2026-31337\n"
			  "header plain:6 SEC-1042\n");
}

/* Tags: a chain to any depth, a tag's other headers. */
static void test_tag_chains_headers(void **state)
{
	(void)state;
	commit("first");
	sh("git tag -a t0 -m 'Fixes SEC-1042' && "
	   "for i in $(seq 1 40); do "
	   "  git -c advice.nestedTag=false tag -a t$i -m \"level $i\" "
	   "    t$((i - 1)) && git tag -d t$((i - 1)) >/dev/null; done");
	assert_scan(NULL, "tag refs/tags/t40:1 SEC-1042\n");
	sh("git tag -d t40 >/dev/null && "
	   "printf 'object %s\ntype commit\ntag v9\n"
	   "tagger T <t@b> 1 +0000\nx-note Bleeding Heart\n\nrelease\n' "
	   "$(git rev-parse HEAD) | "
	   "git hash-object -t tag -w --stdin --literally > tg && "
	   "git update-ref refs/tags/v9 $(cat tg)");
	assert_scan(NULL, "header refs/tags/v9:5 CVE-2026-31337\n");
	/* a tag git cannot parse is an error, not a pass */
	sh("git tag -d v9 >/dev/null && "
	   "printf 'object %s\ntype commit\ntag v8\nx SEC-1042\n' "
	   "$(git rev-parse HEAD) | "
	   "git hash-object -t tag -w --stdin --literally > tg && "
	   "git update-ref refs/tags/v8 $(cat tg)");
	{
		struct emb_scan_opts opts = EMB_SCAN_OPTS_INIT;
		char *got = scan_opts(NULL, &opts, EMB_EREPO);

		assert_non_null(strstr(emb_error_last(), "corrupt tag "));
		free(got);
	}
}

/*
 * Tree entry modes as git canonicalises them: 120777 is a symbolic link
 * (its target is content), 040755 a folder, 100664 a file; a mode of
 * no known type is a submodule, which has no content here.
 */
static void test_tree_modes(void **state)
{
	(void)state;
	sh("l=$(printf 'SEC-1042' | git hash-object -w --stdin) && "
	   "f=$(printf 'x CVE-2026-31337\n' | git hash-object -w --stdin) && "
	   "d=$(perl -e 'print \"100664 in.txt\\0\", pack(\"H*\", $ARGV[0])' "
	   "    $f | git hash-object -t tree -w --stdin --literally) && "
	   "t=$(perl -e 'print \"40755 dir\\0\", pack(\"H*\", $ARGV[0]), "
	   "    \"120777 link\\0\", pack(\"H*\", $ARGV[1]), "
	   "    \"60644 odd\\0\", pack(\"H*\", $ARGV[1])' $d $l | "
	   "    git hash-object -t tree -w --stdin --literally) && "
	   "git update-ref refs/heads/main $(git commit-tree $t -m modes)");
	assert_scan(NULL, "line modes dir/in.txt:1 CVE-2026-31337\n"
			  "line modes link:1 SEC-1042\n");
}

/* Trees nested deeper than git's core.maxTreeDepth: an error, no crash. */
static void test_deep_trees(void **state)
{
	struct emb_scan_opts opts = EMB_SCAN_OPTS_INIT;
	char *got;

	(void)state;
	sh("p=$(perl -e 'print \"d/\" x 4100, \"f\"') && "
	   "printf 'commit refs/heads/deep\\ncommitter A <a@b> 1 +0000\\n"
	   "data 4\\ndeep\\nM 100644 inline %s\\ndata 13\\n"
	   "SEC-1042 fix\\n\\n' $p | git fast-import --quiet");
	got = scan_opts(NULL, &opts, EMB_EREPO);
	assert_non_null(
		strstr(emb_error_last(), "trees nested deeper than 4096 at "));
	free(got);
}

/* A removed submodule is no file a line could have moved from. */
static void test_removed_submodule(void **state)
{
	(void)state;
	th_write(E.repo, "a.txt", "a\n");
	commit("base");
	/* the submodule's commit, as ever, is not in this repository */
	sh("git update-index --add --cacheinfo "
	   "160000,1234567890123456789012345678901234567890,sub && "
	   "git commit -qm 'add sub'");
	sh("git rm -q --cached sub && echo 'SEC-1042 here' > b.txt && "
	   "git add b.txt && git commit -qm 'drop sub'");
	assert_scan(NULL, "line drop sub b.txt:1 SEC-1042\n");
}

static void test_repository_errors(void **state)
{
	struct emb_scan_opts opts = EMB_SCAN_OPTS_INIT;
	char *got;

	(void)state;
	th_write(E.repo, "a.txt", "a\n");
	commit("c1");
	th_write(E.repo, "a.txt", "b\n");
	commit("c2");
	opts.threads = 1;

	/* a missing blob is a repository error naming the file and commit */
	sh("rm -f .git/objects/$(git rev-parse HEAD:a.txt | "
	   "sed 's,^\\(..\\),\\1/,')");
	got = scan_opts(NULL, &opts, EMB_EREPO);
	assert_non_null(strstr(emb_error_last(), "cannot read blob"));
	assert_non_null(strstr(emb_error_last(), "('a.txt' in commit "));
	free(got);
	opts.threads = 2; /* read on the second thread */
	opts.batch = 1;
	got = scan_opts(NULL, &opts, EMB_EREPO);
	assert_non_null(strstr(emb_error_last(), "cannot read blob"));
	assert_non_null(strstr(emb_error_last(), "('a.txt' in commit "));
	free(got);
	opts.threads = 1;
	opts.batch = 0;

	/* so is a missing commit, also with two threads */
	sh("rm -f .git/objects/$(git rev-parse HEAD~1 | "
	   "sed 's,^\\(..\\),\\1/,')");
	opts.diffs = false;
	got = scan_opts(NULL, &opts, EMB_EREPO);
	assert_non_null(strstr(emb_error_last(), "cannot read commit"));
	free(got);
	opts.diffs = true;
	opts.threads = 2;
	opts.batch = 1;
	got = scan_opts(NULL, &opts, EMB_EREPO);
	assert_non_null(strstr(emb_error_last(), "cannot read"));
	free(got);
}

static void test_redacted_json(void **state)
{
	struct emb_findings f = EMB_FINDINGS_INIT;
	size_t i;

	(void)state;
	th_write(E.repo, "tests/sec_1042.c", "/* sec_1042 */\n");
	commit("Fix SEC-1042");
	sh("git branch fix/SEC-1042 && git tag v1-sec.1042");
	scan_records(&f);
	assert_int_equal(f.n, 5); /* ref, tag, message, path, line */
	for (i = 0; i < f.n; i++) {
		json_t *o = emb_json_finding(&f.v[i], true);
		char *dump = json_dumps(o, JSON_COMPACT), *p;

		/* no spelling of the identifier survives, in any field */
		for (p = dump; *p; p++)
			*p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
		assert_null(strstr(dump, "SEC-1042"));
		assert_null(strstr(dump, "SEC_1042"));
		assert_null(strstr(dump, "SEC.1042"));
		assert_non_null(strstr(dump, "SHA256:"));
		free(dump);
		json_decref(o);
	}
	emb_findings_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_message_identity_trailers,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_added_removed_moved, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_merges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_root_and_paths, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_binary_and_oversized,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_decoded_and_binary, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_large_files, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_large_decoded, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_large_binary_cut, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_skipped_versions, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_alias_over_lines, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_many_hit_lines, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tags_refs_notes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_no_diffs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ranges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_threads_agree, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_not_utf8_message, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_shallow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_redacted_json, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_raw_objects, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_fake_parent, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_removed_submodule, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_deep_trees, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_commit_headers, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tag_chains_headers, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tree_modes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_repository_errors, setup,
						teardown),
	};
	int failed;

	git_libgit2_init();
	failed = cmocka_run_group_tests_name("emb_scan_range", tests, NULL,
					     NULL);
	git_libgit2_shutdown();
	return failed;
}
