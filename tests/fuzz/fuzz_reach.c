/*
 * fuzz_reach.c - libFuzzer target: any bytes as the commit-graph file of
 * a small repository (reach-repo.sh makes it; seeds_reach/ holds the
 * graphs git writes for it), then "main --not old a" walked over it.  A
 * graph that does not add up must be noticed (the walk is redone from
 * the objects) or walked within its bounds; never a crash, a hang or a
 * read outside the file.  (A graph that is well formed but lies about
 * parents can change the answer: the graph is the server's own file,
 * not something a pusher writes, so only safety is checked.)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "embargo/reach.h"
#include "embargo/walk.h"

#ifndef FUZZ_DIR
#define FUZZ_DIR "tests/fuzz"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64], graph[128];
static git_repository *repo;
static git_oid tip, hides[2];

static void cleanup(void)
{
	char cmd[128];

	git_repository_free(repo);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
}

static void setup(void)
{
	char cmd[256];

	git_libgit2_init();
	git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);
	snprintf(dir, sizeof(dir), "/tmp/fuzz-reach-%d", (int)getpid());
	snprintf(cmd, sizeof(cmd), "sh '%s/reach-repo.sh' '%s'", FUZZ_DIR, dir);
	if (system(cmd) != 0 || git_repository_open(&repo, dir) < 0)
		abort();
	if (git_reference_name_to_id(&tip, repo, "refs/heads/main") < 0 ||
	    git_reference_name_to_id(&hides[0], repo, "refs/heads/old") < 0 ||
	    git_reference_name_to_id(&hides[1], repo, "refs/heads/a") < 0)
		abort();
	snprintf(graph, sizeof(graph), "%s/.git/objects/info/commit-graph",
		 dir);
	atexit(cleanup);
}

/*
 * The repository is made before the first input, not while running it:
 * on a loaded machine making it takes longer than libFuzzer's -timeout
 * for one input, and the first input was reported as a hang.
 */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	setup();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct emb_range r = EMB_RANGE_INIT;
	FILE *f;

	if (!(f = fopen(graph, "wb")))
		abort();
	fwrite(data, 1, size, f);
	fclose(f);
	(void)emb_reach_range(&r, repo, &tip, 1, hides, 2, 0, NULL);
	emb_range_release(&r);
	return 0;
}
