/*
 * test_packorder.c - object offsets from pack indexes, checked against
 * `git show-index`, across packs, alternates and loose objects, and the
 * second object database over the same folders.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embargo/packorder.h"

#define OFFSET_MASK (((uint64_t)1 << 48) - 1)

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

static git_repository *open_repo(const char *path)
{
	git_repository *repo = NULL;

	assert_int_equal(git_repository_open(&repo, path), 0);
	return repo;
}

/* Every line "offset id (crc)" of `git show-index` for every pack. */
static size_t check_offsets(const char *repo_path,
			    const struct emb_packorder *po, const char *packs)
{
	char *out = th_sh_out(repo_path, NULL,
			      "for i in %s/pack-*.idx; do "
			      "git show-index < $i; done",
			      packs);
	char *line, *save = NULL;
	size_t n = 0;

	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned long long off;
		char hex[GIT_OID_HEXSZ + 1];
		git_oid oid;
		uint64_t key;

		assert_int_equal(sscanf(line, "%llu %40s", &off, hex), 2);
		assert_int_equal(git_oid_fromstr(&oid, hex), 0);
		key = emb_packorder_key(po, &oid);
		assert_true(key != EMB_PACKORDER_NONE);
		assert_int_equal(key & OFFSET_MASK, off);
		n++;
	}
	free(out);
	return n;
}

static void test_offsets(void **state)
{
	char *path = th_repo(dir, "r", false), *packs;
	struct emb_packorder *po;
	git_repository *repo;
	git_oid loose;
	size_t n;
	int i;

	(void)state;
	for (i = 0; i < 30; i++) {
		char name[32];

		snprintf(name, sizeof(name), "f%d.txt", i % 7);
		assert_int_equal(th_sh(path, "seq 1 %d >> %s", i * 50, name),
				 0);
		assert_int_equal(th_commit(path, "c"), 0);
	}
	/* two packs: all of it, then one more commit on its own */
	assert_int_equal(th_sh(path, "git gc -q && echo x > new.txt && "
				     "git add new.txt && git commit -qm new && "
				     "git repack -q"),
			 0);
	assert_int_equal(th_sh(path, "test $(ls .git/objects/pack/*.idx | "
				     "wc -l) = 2"),
			 0);
	if (asprintf(&packs, "%s/.git/objects/pack", path) < 0)
		abort();

	repo = open_repo(path);
	po = emb_packorder_new(repo);
	n = check_offsets(path, po, packs);
	assert_true(n > 90);

	/* a loose object is in no index: it sorts last */
	assert_int_equal(th_sh(path, "echo loose > l.txt && "
				     "git hash-object -w l.txt > loose-id"),
			 0);
	{
		char *hex = th_sh_out(path, NULL, "cat loose-id");

		assert_int_equal(git_oid_fromstrn(&loose, hex, GIT_OID_HEXSZ),
				 0);
		free(hex);
	}
	assert_true(emb_packorder_key(po, &loose) == EMB_PACKORDER_NONE);

	/* the second database reads what the repository reads */
	{
		git_odb *odb = NULL;
		git_odb_object *obj = NULL;

		assert_int_equal(emb_packorder_odb(&odb, po), 0);
		assert_int_equal(git_odb_read(&obj, odb, &loose), 0);
		assert_int_equal(git_odb_object_size(obj), 6);
		git_odb_object_free(obj);
		git_odb_free(odb);
	}
	emb_packorder_free(po);
	git_repository_free(repo);

	/* a repository borrowing those objects through alternates */
	assert_int_equal(th_sh(dir, "git clone -q --shared r borrower"), 0);
	{
		char *bpath;

		if (asprintf(&bpath, "%s/borrower", dir) < 0)
			abort();
		repo = open_repo(bpath);
		po = emb_packorder_new(repo);
		assert_int_equal(check_offsets(bpath, po, packs), n);
		emb_packorder_free(po);
		git_repository_free(repo);
		free(bpath);
	}
	free(packs);
	free(path);
}

/* A damaged index is left out, never trusted. */
static void test_damaged_index(void **state)
{
	char *path = th_repo(dir, "d", false), *hex;
	struct emb_packorder *po;
	git_repository *repo;
	git_oid head;

	(void)state;
	assert_int_equal(th_commit(path, "c"), 0);
	assert_int_equal(th_sh(path, "git gc -q && "
				     "i=$(ls .git/objects/pack/*.idx) && "
				     "chmod u+w $i && "
				     "head -c 600 $i > t && mv t $i"),
			 0);
	hex = th_sh_out(path, NULL, "git rev-parse HEAD");
	assert_int_equal(git_oid_fromstrn(&head, hex, GIT_OID_HEXSZ), 0);
	free(hex);
	repo = open_repo(path);
	po = emb_packorder_new(repo);
	assert_true(emb_packorder_key(po, &head) == EMB_PACKORDER_NONE);
	emb_packorder_free(po);
	git_repository_free(repo);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_offsets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damaged_index, setup,
						teardown),
	};
	int failed;

	git_libgit2_init();
	failed = cmocka_run_group_tests(tests, NULL, NULL);
	git_libgit2_shutdown();
	return failed;
}
