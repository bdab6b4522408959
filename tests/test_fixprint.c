/*
 * test_fixprint.c - fix fingerprints: line and path-set hashes, the
 * list keys, patch-ids against the real `git patch-id --stable`, the
 * blob pass, the tally and its threshold, and fingerprints of real
 * commits.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embargo/config.h"
#include "embargo/error.h"
#include "embargo/fixprint.h"
#include "embargo/list.h"

static char *dir;

static int setup(void **state)
{
	(void)state;
	th_env();
	dir = th_mkdtemp();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	th_rmrf(dir);
	free(dir);
	return 0;
}

static int load(struct emb_list *list, const char *text)
{
	char *path;
	int error;

	th_write(dir, "fix.list", text);
	if (asprintf(&path, "%s/fix.list", dir) < 0)
		abort();
	memset(list, 0, sizeof(*list));
	error = emb_list_load_file(list, path);
	free(path);
	return error;
}

static void test_line_hash(void **state)
{
	size_t n1, n2;
	uint64_t a = emb_fix_line_hash("\tif (len >= max)\r", 17, &n1),
		 b = emb_fix_line_hash("    if(len>=max)", 16, &n2);

	(void)state;
	assert_true(a == b); /* re-indented, re-spaced, CRLF */
	assert_int_equal(n1, 12);
	assert_int_equal(n2, 12);
	assert_true(a != emb_fix_line_hash("if (len > max)", 14, NULL));
	assert_true(a != 0);
}

static void test_pathset(void **state)
{
	uint64_t x = 0, y = 0;

	(void)state;
	x = emb_fix_pathset_add(x, "src", 3, "a.c", 3);
	x = emb_fix_pathset_add(x, NULL, 0, "README", 6);
	y = emb_fix_pathset_add(y, NULL, 0, "README", 6);
	y = emb_fix_pathset_add(y, NULL, 0, "src/a.c", 7);
	assert_true(emb_fix_pathset_final(x, 2) == emb_fix_pathset_final(y, 2));
	assert_true(emb_fix_pathset_final(x, 2) !=
		    emb_fix_pathset_final(
			    emb_fix_pathset_add(0, NULL, 0, "src/a.c", 7), 1));
}

static const char fix_list[] =
	"[embargo \"CVE-2026-40001\"]\n"
	"\tfix = 1111111111111111111111111111111111111111\n"
	"\tfix = 2222222222222222222222222222222222222222\n"
	"\tpatchId = 3333333333333333333333333333333333333333 "
	"1111111111111111111111111111111111111111\n"
	"\tpatchId = 4444444444444444444444444444444444444444\n"
	"\tfixPaths = 00000000000000aa\n"
	"\tfixFiles = 00000000000000bb 00000000000000cc\n"
	"\tfixLines = 0000000000000001 0000000000000002\n"
	"\tfixLines = 0000000000000003\n";

static void test_list_keys(void **state)
{
	struct emb_list list;
	const struct emb_entry *e;

	(void)state;
	assert_int_equal(load(&list, fix_list), 0);
	e = &list.entries[0];
	assert_int_equal(e->nfix, 2);
	assert_int_equal(e->fixes[1].id[0], 0x22);
	assert_int_equal(e->npatchid, 2);
	assert_true(e->patchids[0].has_commit);
	assert_int_equal(e->patchids[0].commit.id[0], 0x11);
	assert_false(e->patchids[1].has_commit);
	assert_int_equal(e->nfix_paths, 1);
	assert_true(e->fix_paths[0] == 0xaa);
	assert_int_equal(e->nfix_lines, 3);
	assert_true(e->fix_lines[2] == 3);
	assert_int_equal(e->nfix_files, 2);
	assert_true(e->fix_files[1] == 0xcc);
	emb_list_release(&list);
}

static void expect_bad(const char *text, const char *tail)
{
	struct emb_list list;
	const char *msg;

	assert_int_equal(load(&list, text), EMB_ECONFIG);
	msg = emb_error_last();
	assert_non_null(strstr(msg, tail));
	emb_list_release(&list);
}

static void test_list_bad(void **state)
{
	(void)state;
	expect_bad("[embargo \"X-1\"]\n\tfix = abc123\n",
		   "line 2: bad fix 'abc123' for 'X-1': expected a full "
		   "commit id (40 hex digits)");
	expect_bad("[embargo \"X-1\"]\n\tpatchId = 33 11\n",
		   "line 2: bad patchId '33 11' for 'X-1'");
	expect_bad("[embargo \"X-1\"]\n\tpatchId = "
		   "3333333333333333333333333333333333333333 x y\n",
		   "bad patchId");
	expect_bad("[embargo \"X-1\"]\n\tfixLines = 0000000000000001 zz\n",
		   "line 2: bad fixLines '0000000000000001 zz' for 'X-1': "
		   "expected hashes of 16 hex digits");
	expect_bad("[embargo \"X-1\"]\n\tfixPaths =\n", "bad fixPaths");
	expect_bad("[embargo \"X-1\"]\n\tfixFiles = 12\n", "bad fixFiles");
}

static uint64_t h(const char *line)
{
	return emb_fix_line_hash(line, strlen(line), NULL);
}

static void test_blob_and_tally(void **state)
{
	struct emb_list list;
	struct emb_fixset *fs;
	struct emb_fixtally *t;
	struct emb_fixhits hits = EMB_FIXHITS_INIT, older = EMB_FIXHITS_INIT;
	struct emb_findings out = EMB_FINDINGS_INIT;
	struct emb_buf text = EMB_BUF_INIT;
	const char *lines[] = { "if (outlen == 0 || len >= outlen)",
				"return -1; /* would overflow */",
				"memset(out, 0, outlen);",
				"out[len] = '\\0'; /* end it */",
				"validate_field_length(len);" };
	const char *blob = "int f(void)\n{\n"
			   "    if (outlen==0 || len >= outlen)\n"
			   "\t\treturn -1; /* would overflow */\n"
			   "\treturn 0;\n"
			   "\tmemset(out, 0, outlen);\n}\n";
	git_oid c1, c2;
	size_t i;

	(void)state;
	emb_buf_puts(&text, "[embargo \"CVE-2026-40001\"]\n");
	emb_buf_printf(&text, "\tfixFiles = %016llx\n",
		       (unsigned long long)emb_fix_file_hash("x/parse.c"));
	for (i = 0; i < 5; i++)
		emb_buf_printf(&text, "\tfixLines = %016llx\n",
			       (unsigned long long)h(lines[i]));
	assert_int_equal(load(&list, text.ptr), 0);
	emb_fixset_new(&fs, &list);
	assert_non_null(fs);
	assert_false(emb_fixset_wants_patch_ids(fs));
	/* blobs are hashed in files of the fix's names, in any folder */
	assert_true(emb_fixset_wants_file(fs, "parse.c"));
	assert_true(emb_fixset_wants_file(fs, "old/src/parse.c"));
	assert_false(emb_fixset_wants_file(fs, "src/parse.h"));

	/* three of the five, on their lines; short lines are not hashed */
	assert_true(emb_fixset_blob(fs, blob, strlen(blob), &hits));
	assert_int_equal(hits.n, 3);
	assert_int_equal(hits.v[0].line, 3);
	assert_int_equal(hits.v[2].line, 6);

	/* the older version had the memset: two are added */
	assert_true(emb_fixset_blob(fs, "x\n  memset(out,0,outlen);\n", 26,
				    &older));
	emb_fixhits_drop(&hits, &older);
	emb_fixhits_release(&older);
	assert_int_equal(hits.n, 2);

	/* 2 of 5 is under 50%; with a second commit's 1 more, together
	 * (a push) 3 of 5 is enough */
	memset(&c1, 1, sizeof(c1));
	memset(&c2, 2, sizeof(c2));
	t = emb_fixtally_new(fs);
	emb_fixtally_add(t, &c1, 10, "a.c", &hits);
	hits.n = 0;
	hits.v[0].hash = h(lines[4]);
	hits.v[0].line = 9;
	hits.n = 1;
	emb_fixtally_add(t, &c2, 5, "b.c", &hits);
	emb_fixtally_findings(t, NULL, false, &out);
	assert_int_equal(out.n, 0);
	emb_fixtally_findings(t, NULL, true, &out);
	assert_int_equal(out.n, 1);
	assert_int_equal(out.v[0].kind, EMB_KIND_FIX);
	assert_string_equal(out.v[0].match, "the pushed commits together add "
					    "3 of 5 lines of the fix");
	assert_true(git_oid_equal(&out.v[0].commit, &c2)); /* the newest */
	assert_string_equal(out.v[0].excerpt, "b.c:9; a.c:3, a.c:4");
	emb_findings_release(&out);

	/* a threshold of 40%: the first commit alone */
	emb_fixset_set_threshold(fs, 40);
	emb_fixtally_findings(t, NULL, true, &out);
	assert_int_equal(out.n, 1);
	assert_string_equal(out.v[0].match, "adds 2 of 5 lines of the fix");
	assert_string_equal(out.v[0].path, "a.c");
	assert_int_equal(out.v[0].line, 3);

	emb_findings_release(&out);
	emb_fixtally_free(t);
	emb_fixhits_release(&hits);
	emb_fixset_free(fs);
	emb_buf_release(&text);
	emb_list_release(&list);
}

static void test_expired_entry(void **state)
{
	struct emb_list list;
	struct emb_fixset *fs;

	(void)state;
	assert_int_equal(load(&list, fix_list), 0);
	list.entries[0].expired = true;
	emb_fixset_new(&fs, &list);
	assert_null(fs); /* nothing in force: nothing to look for */
	emb_list_release(&list);
}

/* Compare with git's own patch-id for every commit of a real history. */
static void test_patch_id_matches_git(void **state)
{
	char *repo = th_repo(dir, "pid", false), *out;
	git_repository *r;
	int status, i;

	(void)state;
	th_write(repo, "a.c", "int a;\nint b;\nint c;\n\nint d;\n");
	th_write(repo, "dir/b.txt", "one\ntwo\nthree\n");
	assert_int_equal(th_commit(repo, "root"), 0);
	th_write(repo, "a.c", "int a;\n  int b2;\nint c;\n\nint d;\nint e;\n");
	assert_int_equal(th_sh(repo, "git rm -q dir/b.txt"), 0);
	th_write(repo, "new.c", "new file\nno newline at end");
	assert_int_equal(th_commit(repo, "change, delete, add"), 0);
	assert_int_equal(th_sh(repo, "chmod +x new.c && git add new.c"), 0);
	assert_int_equal(th_commit(repo, "mode only"), 0);
	assert_int_equal(git_repository_open(&r, repo), 0);
	for (i = 0; i < 3; i++) {
		git_commit *c, *p = NULL;
		git_oid pid, want;
		uint64_t paths;
		char rev[16];

		snprintf(rev, sizeof(rev), "HEAD~%d", i);
		out = th_sh_out(repo, &status,
				"git diff-tree --root -p --no-renames %s | "
				"git patch-id --stable | cut -c1-40",
				rev);
		assert_int_equal(status, 0);
		assert_int_equal(git_oid_fromstrn(&want, out, 40), 0);
		free(out);
		out = th_sh_out(repo, &status, "git rev-parse %s", rev);
		assert_int_equal(git_oid_fromstrn(&pid, out, 40), 0);
		free(out);
		assert_int_equal(git_commit_lookup(&c, r, &pid), 0);
		if (git_commit_parentcount(c))
			assert_int_equal(git_commit_parent(&p, c, 0), 0);
		assert_int_equal(
			emb_fix_patch_id(&pid, &paths, r,
					 p ? git_commit_tree_id(p) : NULL,
					 git_commit_tree_id(c)),
			0);
		assert_true(git_oid_equal(&pid, &want));
		git_commit_free(p);
		git_commit_free(c);
	}
	git_repository_free(r);
	free(repo);
}

/* A fingerprint of a real commit: what it keeps, what it leaves out. */
static void test_fingerprint(void **state)
{
	char *repo = th_repo(dir, "fp", false);
	struct emb_fingerprint fp = EMB_FINGERPRINT_INIT;
	struct emb_range range = EMB_RANGE_INIT;
	struct emb_buf text = EMB_BUF_INIT;
	struct emb_list list;
	git_repository *r;
	git_object *head;

	(void)state;
	th_write(repo, "a.c",
		 "int f(int n)\n{\n\tint total = 0;\n"
		 "\treturn total;\n}\n");
	assert_int_equal(th_commit(repo, "root"), 0);
	/* added: a distinctive line, a short one, a common one (already
	 * in the tree, re-indented) and a moved one */
	th_write(repo, "a.c",
		 "int f(int n)\n{\n"
		 "\tif (n > LIMIT_OF_TOTAL) return -1;\n"
		 "\tbreak;\n"
		 "\t\tint total = 0;\n"
		 "\treturn total;\n}\n");
	assert_int_equal(th_commit(repo, "fix"), 0);
	assert_int_equal(git_repository_open(&r, repo), 0);
	assert_int_equal(git_revparse_single(&head, r, "HEAD"), 0);
	emb_range_push(&range, git_object_id(head));
	git_object_free(head);
	assert_int_equal(git_revparse_single(&head, r, "HEAD~1") == 0, 1);
	emb_range_hide(&range, git_object_id(head));
	git_object_free(head);
	assert_int_equal(emb_fingerprint_range(&fp, r, &range,
					       EMB_CONFIG_DEFAULT_MAX_BLOB),
			 0);
	assert_int_equal(fp.ncommits, 1);
	assert_int_equal(fp.npatchid, 1);
	assert_int_equal(fp.candidates, 2); /* "break;" is too short */
	assert_int_equal(fp.nlines, 1);
	assert_int_equal(fp.nfiles, 1);
	assert_true(fp.files[0] == emb_fix_file_hash("a.c"));
	assert_true(fp.lines[0] == h("if (n > LIMIT_OF_TOTAL) return -1;"));
	emb_fingerprint_write(&text, &fp, "CVE-2026-40001", "2026-12-31");
	assert_null(strstr(text.ptr, "LIMIT"));
	assert_int_equal(load(&list, text.ptr), 0);
	assert_int_equal(list.entries[0].nfix_lines, 1);
	assert_int_equal(list.entries[0].npatchid, 1);
	assert_true(git_oid_equal(&list.entries[0].patchids[0].id,
				  &fp.patchids[0].id));
	emb_list_release(&list);
	emb_buf_release(&text);
	emb_fingerprint_release(&fp);
	emb_range_release(&range);
	git_repository_free(r);
	free(repo);
}

int main(void)
{
	const struct CMUnitTest hash_tests[] = {
		cmocka_unit_test(test_line_hash),
		cmocka_unit_test(test_pathset),
	};
	const struct CMUnitTest list_tests[] = {
		cmocka_unit_test(test_list_keys),
		cmocka_unit_test(test_list_bad),
	};
	const struct CMUnitTest set_tests[] = {
		cmocka_unit_test(test_blob_and_tally),
		cmocka_unit_test(test_expired_entry),
	};
	const struct CMUnitTest pid_tests[] = {
		cmocka_unit_test(test_patch_id_matches_git),
	};
	const struct CMUnitTest fp_tests[] = {
		cmocka_unit_test(test_fingerprint),
	};
	int failed = 0;

	git_libgit2_init();
	failed += cmocka_run_group_tests_name("emb_fix_line_hash", hash_tests,
					      NULL, NULL);
	failed += cmocka_run_group_tests_name("emb_list_load (fix keys)",
					      list_tests, setup, teardown);
	failed += cmocka_run_group_tests_name("emb_fixset", set_tests, setup,
					      teardown);
	failed += cmocka_run_group_tests_name("emb_fix_patch_id", pid_tests,
					      setup, teardown);
	failed += cmocka_run_group_tests_name("emb_fingerprint_range", fp_tests,
					      setup, teardown);
	git_libgit2_shutdown();
	return failed;
}
