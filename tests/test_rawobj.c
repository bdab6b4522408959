/*
 * test_rawobj.c - the in-place commit, tag and tree parsers, against
 * libgit2: each crafted commit or tag is written to a real object
 * database and read back with git_commit_lookup or git_tag_lookup, and
 * the two must agree on whether it is one and on its fields.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embargo/buf.h"
#include "embargo/rawobj.h"

#define T "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"
#define P1 "parent 1111111111111111111111111111111111111111\n"
#define P2 "parent 2222222222222222222222222222222222222222\n"
#define AU "author A U Thor <a@example.com> 1700000000 +0100\n"
#define CO "committer C O Mitter <c@example.com> 1700000100 -0500\n"

static char *dir;
static git_repository *repo;

static int setup(void **state)
{
	(void)state;
	th_env();
	dir = th_mkdtemp();
	assert_int_equal(git_repository_init(&repo, dir, true), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	git_repository_free(repo);
	th_rmrf(dir);
	free(dir);
	return 0;
}

/* Both parsers on `text`: @return whether they took it as a commit. */
static bool agree(const char *text)
{
	struct emb_commit_fields f;
	git_commit *commit = NULL;
	git_odb *odb = NULL;
	git_oid id;
	size_t len = strlen(text), i;
	int ours, theirs;

	assert_int_equal(git_repository_odb(&odb, repo), 0);
	assert_int_equal(git_odb_write(&id, odb, text, len, GIT_OBJECT_COMMIT),
			 0);
	git_odb_free(odb);
	theirs = git_commit_lookup(&commit, repo, &id);
	ours = emb_commit_parse(&f, text, len);
	assert_int_equal(ours == 0, theirs == 0);
	if (ours < 0)
		return false;

	assert_true(git_oid_equal(&f.tree, git_commit_tree_id(commit)));
	assert_int_equal(f.np, git_commit_parentcount(commit));
	for (i = 0; i < f.np; i++)
		assert_true(git_oid_equal(
			&f.parents[i],
			git_commit_parent_id(commit, (unsigned)i)));
	assert_int_equal(f.time, git_commit_time(commit));
	assert_int_equal(f.msg_len, strlen(git_commit_message_raw(commit)));
	assert_memory_equal(f.msg, git_commit_message_raw(commit), f.msg_len);
	{
		const git_signature *a = git_commit_author(commit);
		char want[256];

		snprintf(want, sizeof(want), "%s <%s>", a->name, a->email);
		assert_int_equal(f.author_len, strlen(want));
		assert_memory_equal(f.author, want, f.author_len);
	}
	emb_commit_fields_release(&f);
	git_commit_free(commit);
	return true;
}

static void test_commits(void **state)
{
	(void)state;
	assert_true(agree(T P1 AU CO "\nsubject\n\nbody\n"));
	assert_true(agree(T AU CO "\nroot commit\n"));
	assert_true(agree(T P1 P2 AU CO "\nmerge\n"));
	/* three parents: past the two kept inline */
	assert_true(agree(T P1 P2 P1 AU CO "\noctopus\n"));
	/* other headers, continued lines, one of them looking like a parent */
	assert_true(agree(T P1 AU CO
			  "encoding ISO-8859-1\n"
			  "gpgsig -----BEGIN PGP SIGNATURE-----\n"
			  " parent 2222222222222222222222222222222222222222\n"
			  " -----END PGP SIGNATURE-----\n"
			  "\nsigned\n"));
	assert_true(agree(T P1 AU AU CO "\ntwo authors\n"));
	assert_true(agree(T P1 AU CO));	     /* no message at all */
	assert_true(agree(T P1 AU CO "\n")); /* an empty one */
	/* a parent line after the identities is no parent */
	assert_true(agree(T P1 AU CO P2 "\nhidden parent\n"));

	assert_false(agree(""));
	assert_false(agree(AU CO "\nno tree\n"));
	assert_false(agree(T P1 CO "\nno author\n"));
	assert_false(agree(T P1 AU "\nno committer\n"));
	assert_false(agree(T P1 "author A U Thor a@example.com 1 +0000\n" CO
				"\nbad e-mail\n"));
	assert_false(
		agree("tree 4b825dc642cb6eb9a060e54bf8d69288fbee49zz\n" AU CO
		      "\nbad tree id\n"));
	assert_false(agree("tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904" AU CO
			   "\nno newline after the tree\n"));
}

#define OB "object 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"
#define TG "tagger T A Gger <t@example.com> 1700000000 +0100\n"

/* Both tag parsers on `text`: @return whether they took it as a tag. */
static bool tag_agree(const char *text)
{
	struct emb_tag_fields t;
	git_tag *tag = NULL;
	git_odb *odb = NULL;
	git_oid id;
	size_t len = strlen(text);
	int ours, theirs;

	assert_int_equal(git_repository_odb(&odb, repo), 0);
	assert_int_equal(git_odb_write(&id, odb, text, len, GIT_OBJECT_TAG), 0);
	git_odb_free(odb);
	theirs = git_tag_lookup(&tag, repo, &id);
	ours = emb_tag_parse(&t, text, len);
	assert_int_equal(ours == 0, theirs == 0);
	if (ours < 0)
		return false;
	assert_true(git_oid_equal(&t.target, git_tag_target_id(tag)));
	assert_int_equal(t.type, git_tag_target_type(tag));
	assert_int_equal(t.name_len, strlen(git_tag_name(tag)));
	assert_memory_equal(t.name, git_tag_name(tag), t.name_len);
	assert_int_equal(t.tagger != NULL, git_tag_tagger(tag) != NULL);
	if (t.tagger) {
		const git_signature *s = git_tag_tagger(tag);
		char want[256];

		snprintf(want, sizeof(want), "%s <%s>", s->name, s->email);
		assert_int_equal(t.tagger_len, strlen(want));
		assert_memory_equal(t.tagger, want, t.tagger_len);
	}
	assert_int_equal(t.msg_len, git_tag_message(tag) ?
					    strlen(git_tag_message(tag)) :
					    0);
	assert_memory_equal(t.msg,
			    git_tag_message(tag) ? git_tag_message(tag) : "",
			    t.msg_len);
	/* the header runs from the name to the blank line, within text */
	assert_ptr_equal(t.head, t.name - 4);
	assert_true(t.head + t.head_len <= text + len);
	git_tag_free(tag);
	return true;
}

static void test_tags(void **state)
{
	(void)state;
	assert_true(tag_agree(OB "type commit\ntag v1\n" TG "\nRelease\n"));
	assert_true(tag_agree(OB "type tree\ntag v1\n" TG "\nof a tree\n"));
	assert_true(tag_agree(OB "type tag\ntag v1\n" TG "\nof a tag\n"));
	assert_true(tag_agree(OB "type blob\ntag v1\n\nno tagger\n"));
	assert_true(tag_agree(OB "type commit\ntag v1\n" TG)); /* no message */
	/* other headers before the blank line: skipped by libgit2 */
	assert_true(tag_agree(OB "type commit\ntag v1\n" TG
				 "gpgsig x\n y\nx-other z\n\nsigned\n"));

	assert_false(tag_agree(""));
	assert_false(tag_agree(OB "type commit\n"));
	assert_false(tag_agree(OB "type thing\ntag v1\n" TG "\nmsg\n"));
	assert_false(tag_agree(OB "tag v1\n" TG "\nno type\n"));
	assert_false(tag_agree(OB "type commit\ntag v1"));
	assert_false(tag_agree(OB "type commit\ntag v1\n" TG "x-other z\n"));
	assert_false(tag_agree(OB "type commit\ntag v1\n"
				  "tagger T t@example.com 1 +0000\n\nmsg\n"));
	assert_false(
		tag_agree("object 4b825dc642cb6eb9a060e54bf8d69288fbee49zz\n"
			  "type commit\ntag v1\n" TG "\nbad id\n"));
}

static int next(const unsigned char **p, const unsigned char *end,
		struct emb_tree_entry *e)
{
	return emb_tree_next(p, end, e);
}

static void test_trees(void **state)
{
	static const unsigned char id[GIT_OID_RAWSZ] = { 1, 2, 3 };
	struct emb_tree_entry e, a, b;
	struct emb_buf t = EMB_BUF_INIT;
	const unsigned char *p, *end;
	static const struct {
		const char *mode;
		unsigned want;
	} modes[] = {
		{ "40000", 040000 },
		{ "100644", 0100644 },
		{ "100755", 0100755 },
		{ "100664", 0100644 },
		{ "100775", 0100755 },
		{ "120000", 0120000 },
		{ "160000", 0160000 },
		/* canonicalised as git's canon_mode() does */
		{ "120777", 0120000 },
		{ "40755", 040000 },
		{ "100000", 0100644 },
		{ "60644", 0160000 },
		{ "0", 0160000 },
		{ "170000", 0160000 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		emb_buf_printf(&t, "%s name%zu", modes[i].mode, i);
		emb_buf_put(&t, "", 1);
		emb_buf_put(&t, (const char *)id, sizeof(id));
	}
	p = (const unsigned char *)t.ptr;
	end = p + t.size;
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		char name[16];

		assert_int_equal(next(&p, end, &e), 1);
		snprintf(name, sizeof(name), "name%zu", i);
		assert_int_equal(e.len, strlen(name));
		assert_memory_equal(e.name, name, e.len);
		assert_int_equal(e.mode, modes[i].want);
		assert_memory_equal(e.oid->id, id, sizeof(id));
	}
	assert_int_equal(next(&p, end, &e), 0);
	assert_true(emb_mode_is_tree(040000));
	assert_true(emb_mode_is_blob(0100644) && emb_mode_is_blob(0120000));
	assert_false(emb_mode_is_blob(0160000) || emb_mode_is_tree(0160000));

	/* corrupt: no space, no name, no NUL, a short id */
	{
		static const char *bad[] = { "100644name", "100644 ",
					     "100644 name",
					     "100644 name\0abc" };

		for (i = 0; i < 4; i++) {
			size_t len = strlen(bad[i]) + (i == 3 ? 4 : 0);

			p = (const unsigned char *)bad[i];
			assert_int_equal(next(&p, p + len, &e), -1);
		}
	}

	/* git's order: "foo" the file < "foo-bar" < "foo" the tree < "foo0" */
	a.name = "foo", a.len = 3, a.mode = 0100644;
	b.name = "foo-bar", b.len = 7, b.mode = 0100644;
	assert_true(emb_tree_entry_cmp(&a, &b) < 0);
	a.mode = 040000;
	assert_true(emb_tree_entry_cmp(&a, &b) > 0);
	b.name = "foo0", b.len = 4;
	assert_true(emb_tree_entry_cmp(&a, &b) < 0);
	b.name = "foo", b.len = 3, b.mode = 040000;
	assert_int_equal(emb_tree_entry_cmp(&a, &b), 0);
	emb_buf_release(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_commits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tags, setup, teardown),
		cmocka_unit_test(test_trees),
	};
	int failed;

	git_libgit2_init();
	failed = cmocka_run_group_tests(tests, NULL, NULL);
	git_libgit2_shutdown();
	return failed;
}
