/*
 * reach.c - "tips --not hides" over git's commit-graph.
 *
 * The commit-graph file (Documentation/gitformat-commit-graph.txt):
 * a header "CGPH", version 1, hash version 1 (SHA-1), the chunk count
 * and the number of base graphs; a table of (id, offset) chunk entries;
 * OIDF (256 fan-out counts), OIDL (sorted ids), CDAT (per commit: tree,
 * first and second parent positions, then 30 bits of topological level
 * and 34 bits of commit time), EDGE (the further parents of octopus
 * merges).  A split graph is a chain of such files listed in
 * objects/info/commit-graphs/commit-graph-chain, base first, positions
 * counting on from the base layers.  Only what the walk needs is read;
 * checksums are not verified (git does not either), but every position
 * and level is bounds-checked, and a graph that does not add up is
 * dropped and the walk redone without it.
 *
 * The walk: every commit has a node, a graph position or an entry in a
 * side table for commits outside the graph.  A priority queue pops the
 * highest generation first (commits outside the graph count as infinite
 * and come first, newest first; none of them can be an ancestor of a
 * graph commit, since the graph is closed under ancestry).  Popping in
 * generation order means every descendant of a commit that is queued is
 * popped before it, so when a commit is popped its "hidden" mark is
 * final, and the walk ends when no interesting commit is queued.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "embargo/bigendian.h"
#include "embargo/buf.h"
#include "embargo/date.h"
#include "embargo/error.h"
#include "embargo/map.h"
#include "embargo/reach.h"

#define CG_SIGNATURE 0x43475048u /* "CGPH" */
#define CHUNK_OIDF 0x4f494446u
#define CHUNK_OIDL 0x4f49444cu
#define CHUNK_CDAT 0x43444154u
#define CHUNK_EDGE 0x45444745u
#define CHUNK_BIDX 0x42494458u
#define CHUNK_BDAT 0x42444154u
#define CHUNK_BASE 0x42415345u
#define PARENT_NONE 0x70000000u
#define PARENT_EXTRA 0x80000000u
#define EDGE_LAST 0x80000000u
#define CDAT_SIZE (GIT_OID_RAWSZ + 16)
#define GEN_INFINITY UINT32_MAX
#define GEN_V1_MAX 0x3FFFFFFFu
#define SLOP 5
#define DEADLINE_EVERY 1024

#define F_SEEN 1u   /* has been queued */
#define F_HIDDEN 2u /* reachable from a hide */
#define F_INQ 4u    /* in the queue now */
#define F_POPPED 8u /* parents known and queued */
#define F_BOUND 16u /* already given as a boundary hide */

#define E_CORRUPT (-1000) /* internal: redo without the graph */

struct layer {
	unsigned char *map;
	size_t size;
	uint32_t n, base;
	const unsigned char *fanout, *oids, *cdat, *edges;
	size_t nedges;
};

struct graph {
	struct layer *layers;
	size_t nlayers;
	uint32_t total;
};

struct xnode {
	git_oid oid;
	int64_t time;
	git_oid *parents;
	size_t nparents;
	uint8_t flags;
};

struct qitem {
	uint32_t gen;
	int64_t time;
	uint32_t id;
};

struct walk {
	git_repository *repo;
	git_odb *odb;
	struct graph g;
	uint8_t *gflags; /* per graph position */
	struct xnode *x; /* commits outside the graph; id = total + index */
	size_t nx, ax;
	struct emb_map xindex; /* raw oid -> index + 1 */
	struct qitem *heap;
	size_t nheap, aheap;
	uint32_t *found; /* popped while interesting */
	size_t nfound, afound;
	size_t interesting; /* interesting nodes in the queue */
	size_t visited;
	int64_t last_time; /* time of the last interesting pop */
};

/* --- reading the commit-graph --- */

static void layer_release(struct layer *l)
{
	if (l->map)
		munmap(l->map, l->size);
	memset(l, 0, sizeof(*l));
}

/* Map and check one graph file; false when it is absent or unusable. */
static bool layer_open(struct layer *l, const char *path, uint32_t base,
		       size_t nbases)
{
	struct stat st;
	const unsigned char *d;
	size_t i, nchunks, table_end;
	uint64_t oidf = 0, oidl = 0, cdat = 0, edge = 0;
	uint64_t oidl_len = 0, cdat_len = 0, edge_len = 0;
	uint32_t total;
	int fd;

	memset(l, 0, sizeof(*l));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return false;
	if (fstat(fd, &st) < 0 || st.st_size < 8 + 12 + GIT_OID_RAWSZ) {
		close(fd);
		return false;
	}
	l->size = (size_t)st.st_size;
	l->map = mmap(NULL, l->size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (l->map == MAP_FAILED) {
		l->map = NULL;
		return false;
	}
	d = l->map;
	nchunks = d[6];
	table_end = 8 + (nchunks + 1) * 12;
	if (emb_be_u32(d) != CG_SIGNATURE || d[4] != 1 || d[5] != 1 ||
	    d[7] != nbases || table_end > l->size - GIT_OID_RAWSZ)
		goto bad;
	for (i = 0; i < nchunks; i++) {
		const unsigned char *e = d + 8 + i * 12;
		uint64_t off = emb_be_u64(e + 4), next = emb_be_u64(e + 16);

		if (off < table_end || next < off ||
		    next > l->size - GIT_OID_RAWSZ)
			goto bad;
		switch (emb_be_u32(e)) {
		case CHUNK_OIDF:
			oidf = off;
			if (next - off != EMB_FANOUT_SIZE)
				goto bad;
			break;
		case CHUNK_OIDL:
			oidl = off;
			oidl_len = next - off;
			break;
		case CHUNK_CDAT:
			cdat = off;
			cdat_len = next - off;
			break;
		case CHUNK_EDGE:
			edge = off;
			edge_len = next - off;
			break;
		default:
			break; /* generation data, Bloom filters, BASE, ... */
		}
	}
	if (!oidf || !oidl || !cdat || oidl_len % GIT_OID_RAWSZ || edge_len % 4)
		goto bad;
	l->n = (uint32_t)(oidl_len / GIT_OID_RAWSZ);
	if (cdat_len != (uint64_t)l->n * CDAT_SIZE)
		goto bad;
	l->fanout = d + oidf;
	l->oids = d + oidl;
	l->cdat = d + cdat;
	l->edges = edge ? d + edge : NULL;
	l->nedges = (size_t)(edge_len / 4);
	if (!emb_be_fanout_check(&total, l->fanout, EMB_FANOUT_SIZE) ||
	    total != l->n)
		goto bad;
	if ((uint64_t)base + l->n > UINT32_MAX / 2)
		goto bad;
	l->base = base;
	return true;
bad:
	layer_release(l);
	return false;
}

static void graph_release(struct graph *g)
{
	size_t i;

	for (i = 0; i < g->nlayers; i++)
		layer_release(&g->layers[i]);
	free(g->layers);
	memset(g, 0, sizeof(*g));
}

static void graph_add(struct graph *g, const struct layer *l)
{
	g->layers = emb_xrealloc(g->layers, (g->nlayers + 1) * sizeof(*l));
	g->layers[g->nlayers++] = *l;
	g->total += l->n;
}

/* objects/info/commit-graph, else the chain, as git looks for them. */
static void graph_load(struct graph *g, git_repository *repo)
{
	struct emb_buf path = EMB_BUF_INIT;
	struct layer l;
	const char *common = git_repository_commondir(repo);
	FILE *chain;
	char line[128];

	memset(g, 0, sizeof(*g));
	emb_buf_printf(&path, "%sobjects/info/commit-graph", common);
	if (layer_open(&l, path.ptr, 0, 0)) {
		graph_add(g, &l);
		emb_buf_release(&path);
		return;
	}
	emb_buf_clear(&path);
	emb_buf_printf(&path, "%sobjects/info/commit-graphs/commit-graph-chain",
		       common);
	chain = fopen(path.ptr, "r");
	while (chain && fgets(line, sizeof(line), chain)) {
		size_t len = strcspn(line, "\r\n");

		line[len] = '\0';
		if (len != GIT_OID_HEXSZ)
			break;
		emb_buf_clear(&path);
		emb_buf_printf(&path,
			       "%sobjects/info/commit-graphs/graph-%s.graph",
			       common, line);
		if (!layer_open(&l, path.ptr, g->total, g->nlayers)) {
			/* a broken chain: git uses the layers before it */
			break;
		}
		graph_add(g, &l);
	}
	if (chain)
		fclose(chain);
	emb_buf_release(&path);
}

/* Graph position of oid, or -1. */
static int64_t graph_find(const struct graph *g, const git_oid *oid)
{
	size_t i;

	for (i = 0; i < g->nlayers; i++) {
		const struct layer *l = &g->layers[i];
		uint32_t lo, hi;

		emb_be_fanout_range(&lo, &hi, l->fanout, oid->id[0]);

		while (lo < hi) {
			uint32_t mid = lo + (hi - lo) / 2;
			int c = memcmp(l->oids + (size_t)mid * GIT_OID_RAWSZ,
				       oid->id, GIT_OID_RAWSZ);

			if (c == 0)
				return (int64_t)l->base + mid;
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	return -1;
}

static const struct layer *layer_of(const struct graph *g, uint32_t pos)
{
	size_t i = g->nlayers;

	while (i-- > 0)
		if (pos >= g->layers[i].base)
			return &g->layers[i];
	return NULL;
}

static const unsigned char *cdat_of(const struct graph *g, uint32_t pos,
				    const struct layer **lp)
{
	const struct layer *l = layer_of(g, pos);

	*lp = l;
	return l->cdat + (size_t)(pos - l->base) * CDAT_SIZE;
}

static void graph_oid(git_oid *out, const struct graph *g, uint32_t pos)
{
	const struct layer *l = layer_of(g, pos);

	git_oid_fromraw(out, l->oids + (size_t)(pos - l->base) * GIT_OID_RAWSZ);
}

/*
 * The parents of a graph commit, as positions.  Checks that each is in
 * the graph and of a lower level, so a damaged file is noticed.
 * @return the number of parents, or E_CORRUPT
 */
static int graph_parents(const struct graph *g, uint32_t pos, uint32_t **buf,
			 size_t *abuf)
{
	const struct layer *l;
	const unsigned char *c = cdat_of(g, pos, &l);
	uint32_t p1 = emb_be_u32(c + GIT_OID_RAWSZ),
		 p2 = emb_be_u32(c + GIT_OID_RAWSZ + 4);
	size_t n = 0;

	if (*abuf < 2) {
		*abuf = 16;
		*buf = emb_xrealloc(*buf, *abuf * sizeof(**buf));
	}
	if (p1 != PARENT_NONE)
		(*buf)[n++] = p1;
	if (p2 != PARENT_NONE && !(p2 & PARENT_EXTRA)) {
		(*buf)[n++] = p2;
	} else if (p2 != PARENT_NONE) {
		size_t e = p2 & ~PARENT_EXTRA;

		for (;; e++) {
			uint32_t v;

			if (!l->edges || e >= l->nedges)
				return E_CORRUPT;
			v = emb_be_u32(l->edges + e * 4);
			if (n == *abuf) {
				*abuf *= 2;
				*buf = emb_xrealloc(*buf,
						    *abuf * sizeof(**buf));
			}
			(*buf)[n++] = v & ~EDGE_LAST;
			if (v & EDGE_LAST)
				break;
		}
	}
	return (int)n;
}

/* --- nodes --- */

static uint8_t *flags_of(struct walk *w, uint32_t id)
{
	return id < w->g.total ? &w->gflags[id] : &w->x[id - w->g.total].flags;
}

static void node_oid(git_oid *out, const struct walk *w, uint32_t id)
{
	if (id < w->g.total)
		graph_oid(out, &w->g, id);
	else
		git_oid_cpy(out, &w->x[id - w->g.total].oid);
}

/* Generation and time of a node, for the queue. */
static int node_key(struct walk *w, uint32_t id, uint32_t *gen, int64_t *time)
{
	if (id < w->g.total) {
		const struct layer *l;
		const unsigned char *c = cdat_of(&w->g, id, &l);
		uint64_t gt = emb_be_u64(c + GIT_OID_RAWSZ + 8);

		*gen = (uint32_t)(gt >> 34);
		*time = (int64_t)(gt & 0x3FFFFFFFFull);
		if (*gen == 0)
			return E_CORRUPT; /* levels not computed */
		return 0;
	}
	*gen = GEN_INFINITY;
	*time = w->x[id - w->g.total].time;
	return 0;
}

/*
 * Parse what the walk needs from a raw commit: parents and committer
 * time, as libgit2's revwalk does.  git_commit_lookup() parses and
 * allocates the whole commit: 3.9 s instead of 2.0 s for 165,000.
 */
static int parse_commit(struct xnode *x, const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	size_t a = 0;

	if (len < 46 || memcmp(p, "tree ", 5))
		return -1;
	p += 46;
	while (end - p >= 48 && !memcmp(p, "parent ", 7)) {
		if (x->nparents == a) {
			a = a ? a * 2 : 2;
			x->parents =
				emb_xrealloc(x->parents, a * sizeof(git_oid));
		}
		if (git_oid_fromstrn(&x->parents[x->nparents], p + 7,
				     GIT_OID_HEXSZ) < 0 ||
		    p[47] != '\n')
			return -1;
		x->nparents++;
		p += 48;
	}
	/* the committer line: "committer Name <mail> 1700000000 +0000" */
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (l == 0)
			break; /* end of the header */
		if (l > 10 && !memcmp(p, "committer ", 10)) {
			const char *gt = NULL, *q;

			for (q = p + l; q > p; q--)
				if (q[-1] == '>') {
					gt = q;
					break;
				}
			if (gt)
				x->time = strtoll(gt, NULL, 10);
			return 0;
		}
		p += l + 1;
	}
	return 0; /* no committer: time 0, as libgit2 */
}

/*
 * The node of a commit: its graph position, or a parsed side entry.
 * @return 0, or GIT_ENOTFOUND when the commit cannot be read
 */
static int node_get(uint32_t *out, struct walk *w, const git_oid *oid)
{
	void *v;
	int64_t pos = graph_find(&w->g, oid);
	git_odb_object *obj = NULL;
	struct xnode x;

	if (pos >= 0) {
		*out = (uint32_t)pos;
		return 0;
	}
	if ((v = emb_map_get(&w->xindex, oid->id, GIT_OID_RAWSZ))) {
		*out = w->g.total + (uint32_t)((uintptr_t)v - 1);
		return 0;
	}
	if (git_odb_read(&obj, w->odb, oid) < 0)
		return GIT_ENOTFOUND;
	memset(&x, 0, sizeof(x));
	git_oid_cpy(&x.oid, oid);
	if (git_odb_object_type(obj) != GIT_OBJECT_COMMIT ||
	    parse_commit(&x, git_odb_object_data(obj),
			 git_odb_object_size(obj)) < 0) {
		git_odb_object_free(obj);
		free(x.parents);
		git_error_set_str(GIT_ERROR_OBJECT, "not a commit");
		return GIT_ENOTFOUND;
	}
	git_odb_object_free(obj);
	if (w->nx == w->ax) {
		w->ax = w->ax ? w->ax * 2 : 64;
		w->x = emb_xrealloc(w->x, w->ax * sizeof(*w->x));
	}
	w->x[w->nx] = x;
	emb_map_put(&w->xindex, oid->id, GIT_OID_RAWSZ,
		    (void *)(uintptr_t)(w->nx + 1));
	*out = w->g.total + (uint32_t)w->nx++;
	return 0;
}

/* --- the queue: a binary max-heap on (generation, time) --- */

static bool q_before(const struct qitem *a, const struct qitem *b)
{
	return a->gen != b->gen ? a->gen > b->gen : a->time > b->time;
}

static int q_push(struct walk *w, uint32_t id)
{
	struct qitem it;
	size_t i;
	int error;

	if ((error = node_key(w, id, &it.gen, &it.time)) < 0)
		return error;
	it.id = id;
	if (w->nheap == w->aheap) {
		w->aheap = w->aheap ? w->aheap * 2 : 256;
		w->heap = emb_xrealloc(w->heap, w->aheap * sizeof(it));
	}
	i = w->nheap++;
	while (i > 0 && q_before(&it, &w->heap[(i - 1) / 2])) {
		w->heap[i] = w->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	w->heap[i] = it;
	*flags_of(w, id) |= F_SEEN | F_INQ;
	if (!(*flags_of(w, id) & F_HIDDEN))
		w->interesting++;
	return 0;
}

static struct qitem q_pop(struct walk *w)
{
	struct qitem top = w->heap[0], last = w->heap[--w->nheap];
	size_t i = 0;

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= w->nheap)
			break;
		if (c + 1 < w->nheap && q_before(&w->heap[c + 1], &w->heap[c]))
			c++;
		if (!q_before(&w->heap[c], &last))
			break;
		w->heap[i] = w->heap[c];
		i = c;
	}
	if (w->nheap)
		w->heap[i] = last;
	*flags_of(w, top.id) &= (uint8_t)~F_INQ;
	return top;
}

/* --- the walk --- */

static int parents_of(struct walk *w, uint32_t id, uint32_t **buf, size_t *abuf,
		      bool hidden, size_t *n)
{
	size_t i, k = 0;

	if (id < w->g.total) {
		uint32_t gen, pgen;
		int64_t t;
		int r;

		if ((r = node_key(w, id, &gen, &t)) < 0 ||
		    (r = graph_parents(&w->g, id, buf, abuf)) < 0)
			return r;
		for (i = 0; i < (size_t)r; i++) {
			int64_t pt;

			/* in the graph, and below: else the file is bad */
			if ((*buf)[i] >= w->g.total ||
			    node_key(w, (*buf)[i], &pgen, &pt) < 0 ||
			    (pgen >= gen && gen != GEN_V1_MAX))
				return E_CORRUPT;
		}
		*n = (size_t)r;
		return 0;
	}
	{
		struct xnode *x = &w->x[id - w->g.total];
		size_t np = x->nparents;

		if (*abuf < np) {
			*abuf = np;
			*buf = emb_xrealloc(*buf, *abuf * sizeof(**buf));
		}
		for (i = 0; i < np; i++) {
			git_oid p;
			uint32_t pid;
			int error;

			git_oid_cpy(&p, &w->x[id - w->g.total].parents[i]);
			error = node_get(&pid, w, &p);
			if (error == GIT_ENOTFOUND) {
				char hex[GIT_OID_HEXSZ + 1],
					chex[GIT_OID_HEXSZ + 1];

				if (hidden)
					continue; /* nothing new is below it */
				node_oid(&p, w, id);
				git_oid_tostr(chex, sizeof(chex), &p);
				emb_error_set_git(
					"cannot read commit %s, parent of %s%s",
					git_oid_tostr(hex, sizeof(hex),
						      &w->x[id - w->g.total]
							       .parents[i]),
					chex,
					git_repository_is_shallow(w->repo) ?
						" (the repository is shallow)" :
						"");
				return EMB_EREPO;
			}
			(*buf)[k++] = pid;
		}
		*n = k;
		return 0;
	}
}

/*
 * Mark a node hidden, and if it was popped already (only possible among
 * commits outside the graph, with clock skew), everything below it that
 * the walk has seen.
 */
static int mark_hidden(struct walk *w, uint32_t id, uint32_t **buf,
		       size_t *abuf)
{
	uint32_t *stack = NULL;
	size_t n = 0, a = 0;
	int error = 0;

	stack = emb_xmalloc(16 * sizeof(*stack));
	a = 16;
	stack[n++] = id;
	while (n && !error) {
		uint32_t cur = stack[--n];
		uint8_t *f = flags_of(w, cur);
		size_t np, i;

		if (*f & F_HIDDEN)
			continue;
		*f |= F_HIDDEN;
		if (*f & F_INQ)
			w->interesting--;
		if (!(*f & F_POPPED))
			continue;
		if ((error = parents_of(w, cur, buf, abuf, true, &np)) < 0)
			break;
		for (i = 0; i < np; i++) {
			if (!(*flags_of(w, (*buf)[i]) & F_SEEN))
				continue;
			if (n == a) {
				a *= 2;
				stack = emb_xrealloc(stack, a * sizeof(*stack));
			}
			stack[n++] = (*buf)[i];
		}
	}
	free(stack);
	return error;
}

static int walk_run(struct walk *w, int64_t deadline_ms)
{
	uint32_t *pbuf = NULL;
	size_t apbuf = 0, slop = SLOP;
	int error = 0;

	w->last_time = INT64_MAX;
	while (w->nheap && !error) {
		struct qitem it;
		uint8_t *f;
		size_t np, i;
		bool hidden;

		if (!w->interesting) {
			/*
			 * Only hidden commits are queued.  Below a graph
			 * commit nothing can change; among commits outside
			 * the graph a skewed clock can, so look a little
			 * further, as git does.
			 */
			if (w->heap[0].gen != GEN_INFINITY)
				break;
			if (w->heap[0].time < w->last_time && --slop == 0)
				break;
		}
		if (deadline_ms && (w->visited % DEADLINE_EVERY) == 0 &&
		    emb_clock_ms() > deadline_ms) {
			emb_error_set("time limit reached while finding the "
				      "new commits (embargo.timeout)");
			error = EMB_ETIMEOUT;
			break;
		}
		it = q_pop(w);
		w->visited++;
		f = flags_of(w, it.id);
		hidden = (*f & F_HIDDEN) != 0;
		if (!hidden) {
			w->interesting--;
			w->last_time = it.time;
			if (w->nfound == w->afound) {
				w->afound = w->afound ? w->afound * 2 : 64;
				w->found = emb_xrealloc(
					w->found, w->afound * sizeof(uint32_t));
			}
			w->found[w->nfound++] = it.id;
		}
		*f |= F_POPPED;
		if ((error = parents_of(w, it.id, &pbuf, &apbuf, hidden, &np)) <
		    0)
			break;
		for (i = 0; i < np && !error; i++) {
			uint32_t p = pbuf[i];
			uint8_t pf = *flags_of(w, p);

			if (hidden) {
				if (!(pf & F_SEEN)) {
					*flags_of(w, p) |= F_HIDDEN;
					error = q_push(w, p);
				} else if (!(pf & F_HIDDEN)) {
					uint32_t *b2 = NULL;
					size_t ab2 = 0;

					error = mark_hidden(w, p, &b2, &ab2);
					free(b2);
				}
			} else if (!(pf & F_SEEN)) {
				error = q_push(w, p);
			}
		}
	}
	free(pbuf);
	return error;
}

static void walk_release(struct walk *w)
{
	size_t i;

	for (i = 0; i < w->nx; i++)
		free(w->x[i].parents);
	free(w->x);
	emb_map_release(&w->xindex);
	free(w->gflags);
	free(w->heap);
	free(w->found);
	graph_release(&w->g);
	git_odb_free(w->odb);
}

/* Peel a hide to a commit id; false when it hides nothing. */
static bool peel_hide(git_oid *out, git_repository *repo, const git_oid *oid)
{
	git_object *obj = NULL, *peeled = NULL;
	bool ok = false;

	if (git_object_lookup(&obj, repo, oid, GIT_OBJECT_ANY) == 0 &&
	    git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) == 0) {
		git_oid_cpy(out, git_object_id(peeled));
		ok = true;
	}
	git_object_free(peeled);
	git_object_free(obj);
	git_error_clear();
	return ok;
}

static int reach_once(struct emb_range *out, git_repository *repo,
		      const git_oid *tips, size_t ntips, const git_oid *hides,
		      size_t nhides, int64_t deadline_ms, bool use_graph,
		      struct emb_reach_stats *st)
{
	struct walk w;
	uint32_t *pbuf = NULL;
	size_t apbuf = 0, i, k;
	int error = 0;

	memset(&w, 0, sizeof(w));
	w.repo = repo;
	if (git_repository_odb(&w.odb, repo) < 0) {
		emb_error_set_git("cannot open the object database");
		return EMB_EREPO;
	}
	if (use_graph)
		graph_load(&w.g, repo);
	st->used_graph = w.g.nlayers > 0;
	w.gflags = emb_xcalloc(w.g.total ? w.g.total : 1, 1);

	for (i = 0; i < ntips && !error; i++) {
		uint32_t id;

		if (node_get(&id, &w, &tips[i]) < 0) {
			char hex[GIT_OID_HEXSZ + 1];

			emb_error_set_git(
				"cannot read pushed commit %s",
				git_oid_tostr(hex, sizeof(hex), &tips[i]));
			error = EMB_EREPO;
			break;
		}
		if (!(*flags_of(&w, id) & F_SEEN))
			error = q_push(&w, id);
	}
	for (i = 0; i < nhides && !error; i++) {
		int64_t pos = graph_find(&w.g, &hides[i]);
		git_oid c;
		uint32_t id;

		/* a commit of the graph needs no reading (a server may have
		 * 100,000 refs); anything else is peeled */
		if (pos >= 0)
			id = (uint32_t)pos;
		else if (!peel_hide(&c, repo, &hides[i]) ||
			 node_get(&id, &w, &c) < 0)
			continue;
		if (*flags_of(&w, id) & F_SEEN)
			error = mark_hidden(&w, id, &pbuf, &apbuf);
		else {
			*flags_of(&w, id) |= F_HIDDEN;
			error = q_push(&w, id);
		}
	}
	if (!error)
		error = walk_run(&w, deadline_ms);
	st->visited = w.visited;

	/* the new commits, their hidden parents, the tips still new */
	for (i = 0; i < w.nfound && !error; i++) {
		uint32_t id = w.found[i];
		size_t np;

		if (*flags_of(&w, id) & F_HIDDEN)
			continue;
		st->new_commits++;
		if ((error = parents_of(&w, id, &pbuf, &apbuf, false, &np)) < 0)
			break;
		for (k = 0; k < np; k++) {
			uint8_t *pf = flags_of(&w, pbuf[k]);
			git_oid p;

			if ((*pf & F_HIDDEN) && !(*pf & F_BOUND)) {
				*pf |= F_BOUND;
				node_oid(&p, &w, pbuf[k]);
				emb_range_hide(out, &p);
			}
		}
	}
	for (i = 0; i < ntips && !error; i++) {
		uint32_t id;

		if (node_get(&id, &w, &tips[i]) == 0 &&
		    !(*flags_of(&w, id) & F_HIDDEN) &&
		    !(*flags_of(&w, id) & F_BOUND)) {
			*flags_of(&w, id) |= F_BOUND; /* pushed once */
			emb_range_push(out, &tips[i]);
		}
	}
	free(pbuf);
	walk_release(&w);
	return error;
}

int emb_reach_range(struct emb_range *out, git_repository *repo,
		    const git_oid *tips, size_t ntips, const git_oid *hides,
		    size_t nhides, int64_t deadline_ms,
		    struct emb_reach_stats *stats)
{
	struct emb_reach_stats st = { 0 };
	struct emb_range tmp = EMB_RANGE_INIT;
	size_t i;
	int error;

	if (nhides == 0) {
		/* nothing to subtract: the scanner walks the tips alone */
		for (i = 0; i < ntips; i++)
			emb_range_push(out, &tips[i]);
		if (stats)
			*stats = st;
		return 0;
	}
	st.walked = true;
	error = reach_once(&tmp, repo, tips, ntips, hides, nhides, deadline_ms,
			   true, &st);
	if (error == E_CORRUPT) {
		/* a damaged commit-graph: the objects themselves decide */
		emb_range_release(&tmp);
		memset(&st, 0, sizeof(st));
		st.walked = true;
		error = reach_once(&tmp, repo, tips, ntips, hides, nhides,
				   deadline_ms, false, &st);
	}
	if (!error) {
		for (i = 0; i < tmp.npush; i++)
			emb_range_push(out, &tmp.push[i]);
		for (i = 0; i < tmp.nhide; i++)
			emb_range_hide(out, &tmp.hide[i]);
	}
	emb_range_release(&tmp);
	if (stats)
		*stats = st;
	return error;
}

void emb_reach_drop_libgit2_graph(git_repository *repo)
{
	struct emb_buf path = EMB_BUF_INIT;
	unsigned char hdr[8 + 12 * 16];
	bool drop = false;
	git_odb *odb = NULL;
	ssize_t got;
	size_t i, nchunks;
	int fd;

	emb_buf_printf(&path, "%sobjects/info/commit-graph",
		       git_repository_commondir(repo));
	fd = open(path.ptr, O_RDONLY | O_CLOEXEC);
	emb_buf_release(&path);
	if (fd < 0)
		return; /* none: libgit2 finds none either */
	got = read(fd, hdr, sizeof(hdr));
	close(fd);
	if (got < 8)
		drop = true;
	nchunks = got >= 8 ? hdr[6] : 0;
	for (i = 0; i < nchunks && !drop; i++) {
		uint32_t id;

		if ((size_t)got < 8 + (i + 1) * 12) {
			drop = true;
			break;
		}
		id = emb_be_u32(hdr + 8 + i * 12);
		if (id != CHUNK_OIDF && id != CHUNK_OIDL && id != CHUNK_CDAT &&
		    id != CHUNK_EDGE && id != CHUNK_BIDX && id != CHUNK_BDAT)
			drop = true; /* libgit2 1.5 would reject the file */
	}
	if (drop && git_repository_odb(&odb, repo) == 0)
		git_odb_set_commit_graph(odb, NULL);
	git_odb_free(odb);
}
