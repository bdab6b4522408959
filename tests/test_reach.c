/*
 * test_reach.c - emb_reach_range() against `git rev-list A --not B` on
 * real repositories: without a commit-graph, with the graphs git writes
 * (generation data or not, single file or split chain, stale, damaged),
 * with merges, old bases, equal and skewed commit dates.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#include "embargo/reach.h"
#include "embargo/walk.h"

struct fx {
	char *dir;
	char *repo;
};

/*
 * main: 40 commits, a side branch from main~30 merged back 10 commits
 * before the tip; "old" from main~35; "skew" with dates going back in
 * time; an annotated tag; refs/remotes/origin/main.  All other commits
 * share one date (helpers fix it), the worst case for date ordering.
 */
static const char history[] =
	"git init -q -b main r && cd r && "
	"for i in $(seq 1 30); do git commit -q --allow-empty -m m$i; done && "
	"git checkout -q -b side HEAD~25 && "
	"for i in 1 2 3 4 5; do git commit -q --allow-empty -m s$i; done && "
	"git checkout -q main && git merge -q --no-ff -m merge side && "
	"for i in $(seq 31 40); do git commit -q --allow-empty -m m$i; done && "
	"git checkout -q -b old main~38 && "
	"for i in 1 2 3; do git commit -q --allow-empty -m o$i; done && "
	"git checkout -q -b skew main~3 && "
	"for i in 1 2 3 4; do GIT_COMMITTER_DATE=\"$((1700000000 - i * 86400)) "
	"+0000\" "
	"git commit -q --allow-empty -m k$i; done && "
	"git checkout -q main && git tag -a -m tag v1 main~12 && "
	"git update-ref refs/remotes/origin/main main~2";

static char *base; /* the history, made once; each test gets a copy */

static int group_setup(void **state)
{
	base = th_mkdtemp();
	return th_sh(base, "%s", history) == 0 ? 0 : -1;
}

static int group_teardown(void **state)
{
	th_rmrf(base);
	free(base);
	return 0;
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	fx->dir = th_mkdtemp();
	assert_int_equal(th_sh(fx->dir, "cp -R '%s/r' r", base), 0);
	if (asprintf(&fx->repo, "%s/r", fx->dir) < 0)
		abort();
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	th_rmrf(fx->dir);
	free(fx->dir);
	free(fx->repo);
	free(fx);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort the lines of a heap string, in place. */
static char *sorted_lines(char *text)
{
	char **v = NULL, *copy = strdup(text), *line, *save = NULL;
	size_t n = 0, i;

	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		v = realloc(v, (n + 1) * sizeof(*v));
		v[n++] = line;
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_str);
	text[0] = '\0';
	for (i = 0; i < n; i++) {
		strcat(text, v[i]);
		strcat(text, "\n");
	}
	free(v);
	free(copy);
	return text;
}

/* The sorted, newline-joined ids a revwalk over the range gives. */
static char *walk_ids(git_repository *repo, const struct emb_range *r)
{
	git_revwalk *w = NULL;
	git_oid o;
	char **v = NULL, *out;
	size_t n = 0, i;
	int error;

	assert_int_equal(emb_walk_new(&w, repo, r), 0);
	while ((error = git_revwalk_next(&o, w)) == 0) {
		v = realloc(v, (n + 1) * sizeof(*v));
		v[n] = malloc(GIT_OID_HEXSZ + 1);
		git_oid_tostr(v[n++], GIT_OID_HEXSZ + 1, &o);
	}
	assert_int_equal(error, GIT_ITEROVER);
	git_revwalk_free(w);
	if (n)
		qsort(v, n, sizeof(*v), cmp_str);
	out = calloc(1, n * (GIT_OID_HEXSZ + 1) + 1);
	for (i = 0; i < n; i++) {
		strcat(out, v[i]);
		strcat(out, "\n");
		free(v[i]);
	}
	free(v);
	return out;
}

static void resolve(git_repository *repo, git_oid *out, const char *spec)
{
	git_object *obj;

	assert_int_equal(git_revparse_single(&obj, repo, spec), 0);
	git_oid_cpy(out, git_object_id(obj));
	git_object_free(obj);
}

/*
 * Check "tips --not hides" (space-separated revisions) against git,
 * and that the range is small: the tips and the boundary only.
 */
static void check(struct fx *fx, const char *tips, const char *hides,
		  int expect_graph)
{
	git_repository *repo;
	struct emb_range r = EMB_RANGE_INIT;
	struct emb_reach_stats st;
	git_oid t[8], h[8];
	size_t nt = 0, nh = 0, count = 0;
	char *want, *got, *copy, *tok, *save = NULL, *p, *githides;
	int status;

	/* git's answer, from the objects alone; "!<id>" is an id nobody
	 * has, which git refuses and reach ignores */
	copy = strdup(hides);
	githides = calloc(1, strlen(hides) + 2);
	for (tok = strtok_r(copy, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save))
		if (tok[0] != '!') {
			strcat(githides, " ");
			strcat(githides, tok);
		}
	free(copy);
	want = sorted_lines(th_sh_out(fx->repo, &status,
				      "git -c core.commitGraph=false rev-list "
				      "%s --not %s",
				      tips, githides));
	free(githides);
	assert_int_equal(status, 0);
	for (p = want; *p; p++)
		count += *p == '\n';

	assert_int_equal(git_repository_open(&repo, fx->repo), 0);
	copy = strdup(tips);
	for (tok = strtok_r(copy, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save)) {
		git_object *obj, *c;

		assert_int_equal(git_revparse_single(&obj, repo, tok), 0);
		assert_int_equal(git_object_peel(&c, obj, GIT_OBJECT_COMMIT),
				 0);
		git_oid_cpy(&t[nt++], git_object_id(c));
		git_object_free(c);
		git_object_free(obj);
	}
	free(copy);
	copy = strdup(hides);
	for (tok = strtok_r(copy, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save)) {
		if (tok[0] == '!')
			assert_int_equal(git_oid_fromstr(&h[nh++], tok + 1), 0);
		else
			resolve(repo, &h[nh++], tok);
	}
	free(copy);

	assert_int_equal(emb_reach_range(&r, repo, t, nt, h, nh, 0, &st), 0);
	got = walk_ids(repo, &r);
	if (strcmp(want, got))
		fail_msg("%s --not %s\nwant:\n%sgot:\n%s", tips, hides, want,
			 got);
	assert_int_equal(st.new_commits, count);
	assert_true(st.walked);
	if (expect_graph >= 0)
		assert_int_equal(st.used_graph, expect_graph);
	assert_true(r.npush <= nt);
	free(want);
	free(got);
	emb_range_release(&r);
	git_repository_free(repo);
}

/* graph: whether the walk must use a commit-graph (-1: either) */
static void all_cases(struct fx *fx, int graph)
{
	check(fx, "old", "main", graph);
	check(fx, "main", "old", graph);
	check(fx, "side", "main", graph); /* merged: nothing */
	check(fx, "main", "side", graph);
	check(fx, "old skew", "refs/remotes/origin/main", graph);
	check(fx, "main", "main", graph);    /* tip hidden */
	check(fx, "skew", "main v1", graph); /* a tag object hides */
	check(fx, "main", "!1111111111111111111111111111111111111111 old",
	      graph); /* unknown hide */
	check(fx, "main~5", "main~20", graph);
}

static void without_graph(void **state)
{
	all_cases(*state, false);
}

static void graph_with_generation_data(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(th_sh(fx->repo, "git commit-graph write --reachable"),
			 0);
	all_cases(fx, true);
}

static void graph_version_1(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(th_sh(fx->repo,
			       "git -c commitGraph.generationVersion=1 "
			       "commit-graph write --reachable"),
			 0);
	all_cases(fx, true);
}

static void split_graph_chain(void **state)
{
	struct fx *fx = *state;

	/* two layers: a base, and commits added after it */
	assert_int_equal(
		th_sh(fx->repo,
		      "git checkout -q main~20 && "
		      "git commit-graph write --reachable --split && "
		      "git checkout -q main && "
		      "git commit-graph write --reachable --split=no-merge && "
		      "test $(wc -l "
		      "<.git/objects/info/commit-graphs/commit-graph-chain) "
		      "-ge 1 && "
		      "test ! -e .git/objects/info/commit-graph"),
		0);
	all_cases(fx, true);
}

static void stale_graph(void **state)
{
	struct fx *fx = *state;

	/* the graph knows main~20 and below; the rest is outside it */
	assert_int_equal(th_sh(fx->repo,
			       "git rev-parse main~20 | "
			       "git commit-graph write --stdin-commits"),
			 0);
	all_cases(fx, true);
}

/*
 * Damage the commit-graph (set `git commit-graph write` aside): write
 * `bytes` (printf escapes) over the parents of the first 40 commits of
 * the commit data chunk.
 */
static void damage(struct fx *fx, const char *bytes)
{
	assert_int_equal(
		th_sh(fx->repo,
		      "git commit-graph write --reachable && "
		      "f=.git/objects/info/commit-graph && chmod u+w $f && "
		      "off=$(od -A n -t x1 -j 8 -N 60 $f | tr -d ' \\n' | "
		      "grep -o '43444154[0-9a-f]\\{16\\}' | cut -c9-) && "
		      "for i in $(seq 0 39); do printf '%s' | "
		      "dd of=$f bs=1 seek=$((0x$off + i * 36 + 20)) "
		      "conv=notrunc 2>/dev/null; done",
		      bytes),
		0);
}

static void damaged_graph_parents(void **state)
{
	struct fx *fx = *state;

	/* first parent far outside the graph, no second parent */
	damage(fx, "\\177\\377\\377\\000\\160\\000\\000\\000");
	check(fx, "old", "main", 0); /* this one reads the damage */
	all_cases(fx, -1); /* right answers, with or without the graph */
}

static void damaged_graph_edges(void **state)
{
	struct fx *fx = *state;

	/* an octopus edge list the file does not have */
	damage(fx, "\\000\\000\\000\\001\\377\\377\\377\\377");
	check(fx, "old", "main", 0);
	all_cases(fx, -1);
}

static void no_hides_means_no_walk(void **state)
{
	struct fx *fx = *state;
	git_repository *repo;
	struct emb_range r = EMB_RANGE_INIT;
	struct emb_reach_stats st;
	git_oid t;

	assert_int_equal(git_repository_open(&repo, fx->repo), 0);
	resolve(repo, &t, "main");
	assert_int_equal(emb_reach_range(&r, repo, &t, 1, NULL, 0, 0, &st), 0);
	assert_false(st.walked);
	assert_int_equal(r.npush, 1);
	assert_int_equal(r.nhide, 0);
	emb_range_release(&r);
	git_repository_free(repo);
}

static void missing_tip_is_an_error(void **state)
{
	struct fx *fx = *state;
	git_repository *repo;
	struct emb_range r = EMB_RANGE_INIT;
	git_oid t, h;

	assert_int_equal(git_repository_open(&repo, fx->repo), 0);
	git_oid_fromstr(&t, "1111111111111111111111111111111111111111");
	resolve(repo, &h, "main");
	assert_true(emb_reach_range(&r, repo, &t, 1, &h, 1, 0, NULL) < 0);
	emb_range_release(&r);
	git_repository_free(repo);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(without_graph, setup, teardown),
		cmocka_unit_test_setup_teardown(graph_with_generation_data,
						setup, teardown),
		cmocka_unit_test_setup_teardown(graph_version_1, setup,
						teardown),
		cmocka_unit_test_setup_teardown(split_graph_chain, setup,
						teardown),
		cmocka_unit_test_setup_teardown(stale_graph, setup, teardown),
		cmocka_unit_test_setup_teardown(damaged_graph_parents, setup,
						teardown),
		cmocka_unit_test_setup_teardown(damaged_graph_edges, setup,
						teardown),
		cmocka_unit_test_setup_teardown(no_hides_means_no_walk, setup,
						teardown),
		cmocka_unit_test_setup_teardown(missing_tip_is_an_error, setup,
						teardown),
	};
	int failed;

	git_libgit2_init();
	failed = cmocka_run_group_tests_name("emb_reach_range", tests,
					     group_setup, group_teardown);
	git_libgit2_shutdown();
	return failed ? 1 : 0;
}
