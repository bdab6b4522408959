/*
 * test_bigendian.c - big-endian integers with and without bounds, and
 * fan-out tables: made up ones that break the rules, and the ones git
 * writes in a real pack index and commit-graph.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#include "embargo/bigendian.h"

static const unsigned char bytes[] = { 0x01, 0x02, 0x03, 0x04, 0x85,
				       0x86, 0x87, 0x88, 0xff };

static void u32(void **state)
{
	assert_int_equal(emb_be_u32(bytes), 0x01020304u);
	/* the high bit is data, not a sign */
	assert_int_equal(emb_be_u32(bytes + 4), 0x85868788u);
	assert_int_equal(emb_be_u32(bytes + 5), 0x868788ffu);
}

static void u64(void **state)
{
	assert_true(emb_be_u64(bytes) == 0x0102030485868788ull);
	assert_true(emb_be_u64(bytes + 1) == 0x02030485868788ffull);
}

static void u32_at(void **state)
{
	uint32_t v = 7;

	assert_true(emb_be_u32_at(&v, bytes, sizeof(bytes), 0));
	assert_int_equal(v, 0x01020304u);
	assert_true(emb_be_u32_at(&v, bytes, sizeof(bytes), 5));
	assert_int_equal(v, 0x868788ffu);
	/* one byte short, past the end, and an offset that would wrap */
	v = 7;
	assert_false(emb_be_u32_at(&v, bytes, sizeof(bytes), 6));
	assert_false(emb_be_u32_at(&v, bytes, sizeof(bytes), 9));
	assert_false(emb_be_u32_at(&v, bytes, sizeof(bytes), 10));
	assert_false(emb_be_u32_at(&v, bytes, sizeof(bytes), UINT64_MAX - 1));
	assert_false(emb_be_u32_at(&v, bytes, 3, 0));
	assert_int_equal(v, 7);
}

static void u64_at(void **state)
{
	uint64_t v = 7;

	assert_true(emb_be_u64_at(&v, bytes, sizeof(bytes), 1));
	assert_true(v == 0x02030485868788ffull);
	v = 7;
	assert_false(emb_be_u64_at(&v, bytes, sizeof(bytes), 2));
	assert_false(emb_be_u64_at(&v, bytes, 7, 0));
	assert_false(emb_be_u64_at(&v, bytes, sizeof(bytes), UINT64_MAX - 3));
	assert_true(v == 7);
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static void fanout_check(void **state)
{
	unsigned char fan[EMB_FANOUT_SIZE];
	uint32_t total = 0;
	int i;

	/* one id per first byte, and the counts of a big index */
	for (i = 0; i < 256; i++)
		put32(fan + 4 * i, (uint32_t)i + 1);
	assert_true(emb_be_fanout_check(&total, fan, sizeof(fan)));
	assert_int_equal(total, 256);
	put32(fan + 4 * 255, 0xfffffff0u);
	assert_true(emb_be_fanout_check(&total, fan, sizeof(fan)));
	assert_int_equal(total, 0xfffffff0u);
	/* empty is fine */
	memset(fan, 0, sizeof(fan));
	assert_true(emb_be_fanout_check(&total, fan, sizeof(fan)));
	assert_int_equal(total, 0);
	/* a count that decreases, first, in the middle or last */
	for (i = 0; i < 256; i++)
		put32(fan + 4 * i, 300);
	put32(fan, 301);
	assert_false(emb_be_fanout_check(&total, fan, sizeof(fan)));
	put32(fan, 300);
	put32(fan + 4 * 128, 299);
	assert_false(emb_be_fanout_check(&total, fan, sizeof(fan)));
	put32(fan + 4 * 128, 300);
	put32(fan + 4 * 255, 299);
	assert_false(emb_be_fanout_check(&total, fan, sizeof(fan)));
	put32(fan + 4 * 255, 300);
	assert_true(emb_be_fanout_check(&total, fan, sizeof(fan)));
	/* a table cut short */
	assert_false(emb_be_fanout_check(&total, fan, sizeof(fan) - 1));
}

static void fanout_range(void **state)
{
	unsigned char fan[EMB_FANOUT_SIZE];
	uint32_t lo, hi;
	int i;

	/* two ids starting 0x00, none until 0xab, three there */
	for (i = 0; i < 256; i++)
		put32(fan + 4 * i, i < 0xab ? 2 : 5);
	emb_be_fanout_range(&lo, &hi, fan, 0x00);
	assert_int_equal(lo, 0);
	assert_int_equal(hi, 2);
	emb_be_fanout_range(&lo, &hi, fan, 0x10);
	assert_int_equal(lo, 2);
	assert_int_equal(hi, 2);
	emb_be_fanout_range(&lo, &hi, fan, 0xab);
	assert_int_equal(lo, 2);
	assert_int_equal(hi, 5);
	emb_be_fanout_range(&lo, &hi, fan, 0xff);
	assert_int_equal(lo, 5);
	assert_int_equal(hi, 5);
}

/* ---- the tables git writes ---------------------------------------- */

static char *dir;

static int repo_setup(void **state)
{
	th_env();
	dir = th_mkdtemp();
	return 0;
}

static int repo_teardown(void **state)
{
	th_rmrf(dir);
	free(dir);
	return 0;
}

/* `n` commits of one new file each, then `git <after>` */
static char *repo_of(const char *name, int n, const char *after)
{
	char *repo = th_repo(dir, name, false);
	int i;

	for (i = 0; i < n; i++) {
		char file[16];

		snprintf(file, sizeof(file), "f%d", i);
		th_write(repo, file, file);
		assert_int_equal(th_commit(repo, file), 0);
	}
	assert_int_equal(th_sh(repo, "git %s", after), 0);
	return repo;
}

/* The whole of repo/rel. */
static unsigned char *slurp(const char *repo, const char *rel, size_t *size)
{
	unsigned char *buf;
	char *path = NULL;
	FILE *f;
	long n;

	assert_true(asprintf(&path, "%s/%s", repo, rel) > 0);
	f = fopen(path, "rb");
	free(path);
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	buf = malloc((size_t)n);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*size = (size_t)n;
	return buf;
}

/* Every id of `git show-index` lies in the range its first byte names. */
static void git_pack_index(void **state)
{
	char *repo = repo_of("r", 40, "gc -q"), *idx, *ids, *line, *save;
	unsigned char *map;
	size_t size, n = 0;
	uint32_t total = 0;

	idx = th_sh_out(repo, NULL, "ls .git/objects/pack/*.idx | tr -d '\\n'");
	ids = th_sh_out(repo, NULL, "git show-index <%s", idx);
	map = slurp(repo, idx, &size);
	/* "\377tOc", version 2, then the table */
	assert_true(emb_be_u32(map) == 0xff744f63u);
	assert_int_equal(emb_be_u32(map + 4), 2);
	assert_true(emb_be_fanout_check(&total, map + 8, size - 8));
	for (line = strtok_r(ids, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char hex[GIT_OID_HEXSZ + 1];
		unsigned long long off;
		uint32_t lo, hi, pos;
		git_oid oid;

		assert_int_equal(sscanf(line, "%llu %40s", &off, hex), 2);
		assert_int_equal(git_oid_fromstr(&oid, hex), 0);
		emb_be_fanout_range(&lo, &hi, map + 8, oid.id[0]);
		for (pos = lo; pos < hi; pos++)
			if (!memcmp(map + 8 + EMB_FANOUT_SIZE +
					    (size_t)pos * GIT_OID_RAWSZ,
				    oid.id, GIT_OID_RAWSZ))
				break;
		assert_true(pos < hi);
		n++;
	}
	assert_true(n >= 120); /* 40 commits, trees and blobs */
	assert_int_equal(total, n);
	free(map);
	free(ids);
	free(idx);
	free(repo);
}

/* A commit-graph's OIDF chunk counts what its OIDL chunk lists. */
static void git_graph_file(void **state)
{
	char *repo = repo_of("g", 30, "commit-graph write --reachable");
	unsigned char *map;
	size_t size, i, nchunks;
	uint64_t oidf = 0, oidl = 0, oidl_end = 0;
	uint32_t total = 0;

	map = slurp(repo, ".git/objects/info/commit-graph", &size);
	assert_true(emb_be_u32(map) == 0x43475048u); /* "CGPH" */
	nchunks = map[6];
	for (i = 0; i < nchunks; i++) {
		uint32_t id = 0;
		uint64_t off = 0, next = 0;

		assert_true(emb_be_u32_at(&id, map, size, 8 + i * 12));
		assert_true(emb_be_u64_at(&off, map, size, 8 + i * 12 + 4));
		assert_true(emb_be_u64_at(&next, map, size, 8 + i * 12 + 16));
		if (id == 0x4f494446u) /* OIDF */
			oidf = off;
		if (id == 0x4f49444cu) { /* OIDL */
			oidl = off;
			oidl_end = next;
		}
	}
	assert_true(oidf && oidl);
	assert_true(emb_be_fanout_check(&total, map + oidf, size - oidf));
	assert_int_equal(total, 30);
	assert_int_equal((oidl_end - oidl) / GIT_OID_RAWSZ, total);
	/* past the end of the file: no */
	assert_false(emb_be_u64_at(&oidl, map, size, size - 4));
	free(map);
	free(repo);
}

int main(void)
{
	const struct CMUnitTest t_u32[] = { cmocka_unit_test(u32) };
	const struct CMUnitTest t_u64[] = { cmocka_unit_test(u64) };
	const struct CMUnitTest t_u32_at[] = { cmocka_unit_test(u32_at) };
	const struct CMUnitTest t_u64_at[] = { cmocka_unit_test(u64_at) };
	const struct CMUnitTest t_check[] = {
		cmocka_unit_test(fanout_check),
		cmocka_unit_test(git_pack_index),
		cmocka_unit_test(git_graph_file),
	};
	const struct CMUnitTest t_range[] = { cmocka_unit_test(fanout_range) };
	int failed = 0;

	failed += cmocka_run_group_tests_name("emb_be_u32", t_u32, NULL, NULL);
	failed += cmocka_run_group_tests_name("emb_be_u64", t_u64, NULL, NULL);
	failed += cmocka_run_group_tests_name("emb_be_u32_at", t_u32_at, NULL,
					      NULL);
	failed += cmocka_run_group_tests_name("emb_be_u64_at", t_u64_at, NULL,
					      NULL);
	failed += cmocka_run_group_tests_name("emb_be_fanout_check", t_check,
					      repo_setup, repo_teardown);
	failed += cmocka_run_group_tests_name("emb_be_fanout_range", t_range,
					      NULL, NULL);
	return failed ? 1 : 0;
}
