/*
 * fixprint.c - fix fingerprints: making them, and finding them again.
 *
 * The scanner reads each new blob once; when the list has fingerprint
 * lines, each line of the blob is hashed (white space removed) and
 * looked up in a small open-addressing table.  Only the rare blob that
 * holds fingerprint lines goes further: the scanner drops the lines an
 * older version of the file (or a file the commit removes) already has,
 * and tallies the rest per commit here.  Patch-ids are computed with
 * libgit2's diff (the xdiff git uses, with git's indent heuristic) and
 * only for commits whose set of changed paths is a fix's.  Nothing here
 * walks history on its own except the fingerprint command's helper.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "embargo/blobtext.h"
#include "embargo/error.h"
#include "embargo/fixprint.h"
#include "embargo/map.h"
#include "embargo/oidset.h"

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL
#define EVIDENCE_MAX 8 /* "path:line" places listed per finding */

/* white space, and the line's own end (diff lines carry theirs) */
static const unsigned char is_blank[256] = {
	[' '] = 1, ['\t'] = 1, ['\r'] = 1, ['\v'] = 1, ['\f'] = 1, ['\n'] = 1,
};

static uint64_t mix64(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h ? h : 1; /* 0 marks an empty slot */
}

/*
 * A line's hash: its bytes that are not white space are first copied
 * into a small buffer (no branch per byte), then hashed eight at a time,
 * read as little-endian words so the value is the same on every
 * machine.  A byte-at-a-time hash was 40% of a full-history scan.
 */
#define LH_CHUNK 256

struct lh {
	uint64_t h;
	size_t n;    /* bytes kept so far */
	size_t fill; /* in buf */
	unsigned char buf[LH_CHUNK + 8];
};

/* Eight bytes as a little-endian word, the same on every machine. */
static inline uint64_t le64(const unsigned char *b)
{
	uint64_t w;

	memcpy(&w, b, sizeof(w));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w;
}

static inline uint64_t fold_word(uint64_t h, uint64_t w)
{
	h ^= w;
	h *= 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 32);
}

/* Hash the full words of the buffer (a whole chunk, or the end). */
static void lh_words(struct lh *s, size_t len)
{
	size_t i;

	for (i = 0; i + 8 <= len; i += 8)
		s->h = fold_word(s->h, le64(s->buf + i));
}

static uint64_t lh_line(struct lh *s, const unsigned char *p,
			const unsigned char *end, size_t *folded)
{
	size_t fill = 0, n = 0, i;

	s->h = FNV_OFFSET;
	for (; p < end; p++) {
		unsigned char c = *p;

		s->buf[fill] = c;
		fill += !is_blank[c];
		if (fill == LH_CHUNK) {
			lh_words(s, LH_CHUNK);
			n += LH_CHUNK;
			fill = 0;
		}
	}
	n += fill;
	lh_words(s, fill & ~(size_t)7);
	if (fill & 7) {
		unsigned char tail[8] = { 0 };

		for (i = 0; i < (fill & 7); i++)
			tail[i] = s->buf[(fill & ~(size_t)7) + i];
		s->h = fold_word(s->h, le64(tail));
	}
	if (folded)
		*folded = n;
	return mix64(s->h ^ n);
}

uint64_t emb_fix_line_hash(const char *line, size_t len, size_t *folded)
{
	struct lh s;

	return lh_line(&s, (const unsigned char *)line,
		       (const unsigned char *)line + len, folded);
}

uint64_t emb_fix_pathset_add(uint64_t acc, const char *dir, size_t dlen,
			     const char *name, size_t nlen)
{
	uint64_t h = FNV_OFFSET;
	size_t i;

	for (i = 0; i < dlen; i++)
		h = (h ^ (unsigned char)dir[i]) * FNV_PRIME;
	if (dlen)
		h = (h ^ '/') * FNV_PRIME;
	for (i = 0; i < nlen; i++)
		h = (h ^ (unsigned char)name[i]) * FNV_PRIME;
	return acc + mix64(h);
}

uint64_t emb_fix_file_hash(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	return mix64(emb_fix_pathset_add(0, NULL, 0, base, strlen(base)) ^
		     0x5bd1e995ULL);
}

uint64_t emb_fix_pathset_final(uint64_t acc, size_t n)
{
	return mix64(acc ^ ((uint64_t)n * 0x9e3779b97f4a7c15ULL));
}

/* --- patch-ids --- */

struct pid_state {
	EVP_MD_CTX *md;
	unsigned char sum[20];
	bool open;
	/* fingerprinting: the hashes of the lines the change adds, each
	 * with its file's emb_fix_file_hash() (a pointer to it in files) */
	struct emb_map *added;
	uint64_t *files;
	size_t nfiles;
};

/* Hash `s` with its white space removed, as patch-id.c does. */
static void pid_put(struct pid_state *st, const char *s, size_t len)
{
	char buf[256];
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		if (is_blank[(unsigned char)s[i]])
			continue;
		buf[n++] = s[i];
		if (n == sizeof(buf)) {
			EVP_DigestUpdate(st->md, buf, n);
			n = 0;
		}
	}
	if (n)
		EVP_DigestUpdate(st->md, buf, n);
}

static void pid_printf(struct pid_state *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void pid_printf(struct pid_state *st, const char *fmt, ...)
{
	struct emb_buf b = EMB_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	emb_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	pid_put(st, b.ptr, b.size);
	emb_buf_release(&b);
}

/* One file's part done: add its SHA-1 to the sum (flush_one_hunk). */
static void pid_flush(struct pid_state *st)
{
	unsigned char h[EVP_MAX_MD_SIZE];
	unsigned int n = 0, carry = 0, i;

	if (!st->open)
		return;
	EVP_DigestFinal_ex(st->md, h, &n);
	for (i = 0; i < 20; i++) {
		carry += st->sum[i] + h[i];
		st->sum[i] = (unsigned char)carry;
		carry >>= 8;
	}
	st->open = false;
}

static void pid_open(struct pid_state *st)
{
	pid_flush(st);
	EVP_DigestInit_ex(st->md, EVP_sha1(), NULL);
	st->open = true;
}

static int pid_delta(struct pid_state *st, git_patch *patch)
{
	const git_diff_delta *d = git_patch_get_delta(patch);
	const char *path =
		d->new_file.path ? d->new_file.path : d->old_file.path;
	size_t h, nh = git_patch_num_hunks(patch);
	char hex[GIT_OID_HEXSZ + 1];

	pid_open(st);
	if (st->added) {
		st->files = emb_xrealloc(st->files,
					 (st->nfiles + 1) * sizeof(uint64_t));
		st->files[st->nfiles++] = emb_fix_file_hash(path);
	}
	pid_printf(st, "diff --git a/%s b/%s", path, path);
	if (d->status == GIT_DELTA_ADDED)
		pid_printf(st, "new file mode %06o", d->new_file.mode);
	else if (d->status == GIT_DELTA_DELETED)
		pid_printf(st, "deleted file mode %06o", d->old_file.mode);
	else if (d->old_file.mode != d->new_file.mode)
		pid_printf(st, "old mode %06o new mode %06o", d->old_file.mode,
			   d->new_file.mode);
	if (d->flags & GIT_DIFF_FLAG_BINARY) {
		/* as diff.c: the two blob ids (git patch-id reads the
		 * abbreviated ones of the index line) */
		pid_put(st, git_oid_tostr(hex, sizeof(hex), &d->old_file.id),
			GIT_OID_HEXSZ);
		pid_put(st, git_oid_tostr(hex, sizeof(hex), &d->new_file.id),
			GIT_OID_HEXSZ);
		return 0;
	}
	if (!nh)
		return 0;
	pid_printf(st, "--- %s%s", d->status == GIT_DELTA_ADDED ? "" : "a/",
		   d->status == GIT_DELTA_ADDED ? "/dev/null" : path);
	pid_printf(st, "+++ %s%s", d->status == GIT_DELTA_DELETED ? "" : "b/",
		   d->status == GIT_DELTA_DELETED ? "/dev/null" : path);
	for (h = 0; h < nh; h++) {
		size_t l, nl = (size_t)git_patch_num_lines_in_hunk(patch, h);

		for (l = 0; l < nl; l++) {
			const git_diff_line *line;
			char origin;

			if (git_patch_get_line_in_hunk(&line, patch, h, l) < 0)
				return -1;
			origin = line->origin;
			if (origin != GIT_DIFF_LINE_CONTEXT &&
			    origin != GIT_DIFF_LINE_ADDITION &&
			    origin != GIT_DIFF_LINE_DELETION)
				continue; /* "\ No newline at end of file" */
			if (origin != GIT_DIFF_LINE_CONTEXT)
				EVP_DigestUpdate(st->md, &origin, 1);
			pid_put(st, line->content, line->content_len);
			if (origin == GIT_DIFF_LINE_ADDITION && st->added) {
				size_t folded;
				uint64_t lh = emb_fix_line_hash(
					line->content, line->content_len,
					&folded);

				if (folded >= EMB_FIX_MIN_LINE)
					emb_map_put(
						st->added, &lh, sizeof(lh),
						(void *)(uintptr_t)st->nfiles);
			}
		}
	}
	return 0;
}

static int tree_of(git_tree **out, git_repository *repo, const git_oid *id)
{
	char hex[GIT_OID_HEXSZ + 1];

	*out = NULL;
	if (!id)
		return 0;
	if (git_tree_lookup(out, repo, id) < 0) {
		emb_error_set_git("cannot read tree %s",
				  git_oid_tostr(hex, sizeof(hex), id));
		return EMB_EREPO;
	}
	return 0;
}

static int patch_id(git_oid *out, uint64_t *pathset, git_repository *repo,
		    const git_oid *parent_tree, const git_oid *tree,
		    struct emb_map *added, uint64_t **files)
{
	git_diff_options opts;
	struct pid_state st = { 0 };
	git_tree *a = NULL, *b = NULL;
	git_diff *diff = NULL;
	uint64_t acc = 0;
	size_t i, n = 0;
	int error;

	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.flags = GIT_DIFF_INDENT_HEURISTIC;
	opts.context_lines = 3;
	if ((error = tree_of(&a, repo, parent_tree)) < 0 ||
	    (error = tree_of(&b, repo, tree)) < 0)
		goto done;
	if (git_diff_tree_to_tree(&diff, repo, a, b, &opts) < 0) {
		emb_error_set_git("cannot compare trees");
		error = EMB_EREPO;
		goto done;
	}
	st.md = EVP_MD_CTX_new();
	st.added = added;
	n = git_diff_num_deltas(diff);
	for (i = 0; i < n && !error; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		git_patch *p = NULL;

		acc = emb_fix_pathset_add(acc, NULL, 0, d->new_file.path,
					  strlen(d->new_file.path));
		if (git_patch_from_diff(&p, diff, i) < 0 ||
		    pid_delta(&st, p) < 0) {
			emb_error_set_git("cannot compare '%s'",
					  d->new_file.path);
			error = EMB_EREPO;
		}
		git_patch_free(p);
	}
	pid_flush(&st);
	EVP_MD_CTX_free(st.md);
	if (files)
		*files = st.files;
	else
		free(st.files);
	memcpy(out->id, st.sum, GIT_OID_RAWSZ);
	if (pathset)
		*pathset = emb_fix_pathset_final(acc, n);
	if (!error && n == 0)
		error = 1;
done:
	git_diff_free(diff);
	git_tree_free(a);
	git_tree_free(b);
	return error;
}

int emb_fix_patch_id(git_oid *out, uint64_t *pathset, git_repository *repo,
		     const git_oid *parent_tree, const git_oid *tree)
{
	return patch_id(out, pathset, repo, parent_tree, tree, NULL, NULL);
}

/* --- the fingerprints of a list --- */

struct lref {
	uint32_t fix, idx; /* the fix, and the line's number in it */
	uint32_t next;	   /* the next ref of the same hash + 1, or 0 */
};

struct lslot {
	uint64_t hash; /* 0: empty */
	uint32_t ref;  /* first ref + 1 */
};

struct fix {
	const struct emb_entry *e;
	size_t nlines; /* distinct */
};

struct emb_fixset {
	struct fix *fixes;
	size_t nfixes;
	unsigned threshold;
	struct lslot *slots;
	size_t mask; /* slots - 1; no slots when no lines */
	struct lref *refs;
	size_t nrefs;
	struct emb_map commits;	 /* oid -> fix + 1 */
	struct emb_map pathsets; /* 8 bytes -> (void *)1 */
	struct emb_map patchids; /* oid -> struct emb_patchid * */
	struct emb_map pid_fix;	 /* oid -> fix + 1 */
	struct emb_map files;	 /* emb_fix_file_hash -> (void *)1 */
	bool all_files; /* a fix with lines but no fixFiles: every file */
};

static struct lslot *slot_of(const struct emb_fixset *fs, uint64_t h)
{
	size_t i = (size_t)(h >> 7) & fs->mask;

	while (fs->slots[i].hash && fs->slots[i].hash != h)
		i = (i + 1) & fs->mask;
	return &fs->slots[i];
}

static void add_line(struct emb_fixset *fs, uint32_t fix, uint64_t h)
{
	struct lslot *s = slot_of(fs, h);
	uint32_t r;

	for (r = s->ref; r; r = fs->refs[r - 1].next)
		if (fs->refs[r - 1].fix == fix)
			return; /* listed twice */
	fs->refs[fs->nrefs].fix = fix;
	fs->refs[fs->nrefs].idx = (uint32_t)fs->fixes[fix].nlines++;
	fs->refs[fs->nrefs].next = s->ref;
	s->hash = h;
	s->ref = (uint32_t)++fs->nrefs;
}

void emb_fixset_new(struct emb_fixset **out, const struct emb_list *list)
{
	struct emb_fixset *fs;
	size_t i, j, nlines = 0, cap = 64;

	*out = NULL;
	for (i = 0; i < list->n; i++) {
		const struct emb_entry *e = &list->entries[i];

		if (!e->expired && (e->nfix || e->npatchid || e->nfix_lines))
			break;
	}
	if (i == list->n)
		return;
	fs = emb_xcalloc(1, sizeof(*fs));
	fs->threshold = EMB_FIX_DEFAULT_THRESHOLD;
	fs->fixes = emb_xcalloc(list->n, sizeof(*fs->fixes));
	for (i = 0; i < list->n; i++)
		if (!list->entries[i].expired)
			nlines += list->entries[i].nfix_lines;
	while (cap < nlines * 4)
		cap *= 2;
	fs->slots = emb_xcalloc(cap, sizeof(*fs->slots));
	fs->mask = cap - 1;
	fs->refs = emb_xcalloc(nlines ? nlines : 1, sizeof(*fs->refs));
	for (i = 0; i < list->n; i++) {
		const struct emb_entry *e = &list->entries[i];
		uint32_t f = (uint32_t)fs->nfixes;

		if (e->expired || !(e->nfix || e->npatchid || e->nfix_lines))
			continue;
		fs->fixes[fs->nfixes++].e = e;
		for (j = 0; j < e->nfix; j++)
			emb_map_put(&fs->commits, e->fixes[j].id, GIT_OID_RAWSZ,
				    (void *)(uintptr_t)(f + 1));
		for (j = 0; j < e->npatchid; j++) {
			emb_map_put(&fs->patchids, e->patchids[j].id.id,
				    GIT_OID_RAWSZ, (void *)&e->patchids[j]);
			emb_map_put(&fs->pid_fix, e->patchids[j].id.id,
				    GIT_OID_RAWSZ, (void *)(uintptr_t)(f + 1));
		}
		/* 1: a copy of the patch would add the fix's lines (one
		 * commit with lines); 2: it may not, so always compute */
		for (j = 0; j < e->nfix_paths; j++) {
			uintptr_t was = (uintptr_t)emb_map_get(
				&fs->pathsets, &e->fix_paths[j],
				sizeof(uint64_t));
			uintptr_t now = e->nfix_lines && e->nfix_files &&
							e->npatchid == 1 ?
						1 :
						2;

			emb_map_put(&fs->pathsets, &e->fix_paths[j],
				    sizeof(uint64_t),
				    (void *)(was > now ? was : now));
		}
		for (j = 0; j < e->nfix_lines; j++)
			add_line(fs, f, e->fix_lines[j]);
		for (j = 0; j < e->nfix_files; j++)
			emb_map_put(&fs->files, &e->fix_files[j],
				    sizeof(uint64_t), (void *)1);
		if (e->nfix_lines && !e->nfix_files)
			fs->all_files = true;
	}
	*out = fs;
}

void emb_fixset_free(struct emb_fixset *fs)
{
	if (!fs)
		return;
	free(fs->fixes);
	free(fs->slots);
	free(fs->refs);
	emb_map_release(&fs->commits);
	emb_map_release(&fs->pathsets);
	emb_map_release(&fs->patchids);
	emb_map_release(&fs->pid_fix);
	emb_map_release(&fs->files);
	free(fs);
}

void emb_fixset_set_threshold(struct emb_fixset *fs, unsigned percent)
{
	if (fs)
		fs->threshold = percent < 1 ? 1 : percent > 100 ? 100 : percent;
}

const struct emb_entry *emb_fixset_commit(const struct emb_fixset *fs,
					  const git_oid *oid)
{
	uintptr_t f;

	if (!fs || !fs->commits.n)
		return NULL;
	f = (uintptr_t)emb_map_get(&fs->commits, oid->id, GIT_OID_RAWSZ);
	return f ? fs->fixes[f - 1].e : NULL;
}

bool emb_fixset_wants_patch_ids(const struct emb_fixset *fs)
{
	return fs && fs->patchids.n && fs->pathsets.n;
}

int emb_fixset_pathset(const struct emb_fixset *fs, uint64_t pathset)
{
	return fs ? (int)(uintptr_t)emb_map_get(&fs->pathsets, &pathset,
						sizeof(pathset)) :
		    0;
}

const struct emb_entry *emb_fixset_patch_id(const struct emb_fixset *fs,
					    const git_oid *patch_id,
					    const git_oid **commit)
{
	const struct emb_patchid *p;
	uintptr_t f;

	*commit = NULL;
	if (!fs)
		return NULL;
	p = emb_map_get(&fs->patchids, patch_id->id, GIT_OID_RAWSZ);
	f = (uintptr_t)emb_map_get(&fs->pid_fix, patch_id->id, GIT_OID_RAWSZ);
	if (!p || !f)
		return NULL;
	*commit = p->has_commit ? &p->commit : NULL;
	return fs->fixes[f - 1].e;
}

bool emb_fixset_wants_file(const struct emb_fixset *fs, const char *path)
{
	uint64_t h;

	if (!fs || !fs->nrefs)
		return false;
	if (fs->all_files)
		return true;
	h = emb_fix_file_hash(path);
	return emb_map_has(&fs->files, &h, sizeof(h));
}

static void hits_add(struct emb_fixhits *h, uint64_t hash, size_t line)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		if (h->v[i].hash == hash)
			return;
	if (h->n == h->alloc) {
		h->alloc = h->alloc ? h->alloc * 2 : 16;
		h->v = emb_xrealloc(h->v, h->alloc * sizeof(*h->v));
	}
	h->v[h->n].hash = hash;
	h->v[h->n].line = line;
	h->n++;
}

/*
 * The hot loop: every line of every new blob.  Lines shorter than the
 * minimum cannot be fingerprint lines and are not hashed.
 */
/*
 * The whole blob at once: its bytes that are not white space, line ends
 * kept, are copied to `out` (with room for 16 more bytes), then each
 * line is hashed eight bytes at a time as lh_line() does.  With SSSE3
 * the copy takes 16 bytes a step (a shuffle per half, from a table of
 * the 256 masks); the copy is 4 GB/s here, the hashing of the lines 2.
 */
static unsigned char shuf8[256][8], cnt8[256];
static pthread_once_t shuf_once = PTHREAD_ONCE_INIT;

static void shuf_init(void)
{
	int m, i, k;

	for (m = 0; m < 256; m++) {
		for (i = k = 0; i < 8; i++)
			if (!(m >> i & 1))
				shuf8[m][k++] = (unsigned char)i;
		cnt8[m] = (unsigned char)k;
		for (; k < 8; k++)
			shuf8[m][k] = 0x80;
	}
}

static size_t compact_scalar(unsigned char *out, const unsigned char *p,
			     size_t len)
{
	size_t n = 0, i;

	for (i = 0; i < len; i++) {
		unsigned char c = p[i];

		out[n] = c;
		n += !is_blank[c] || c == '\n';
	}
	return n;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <tmmintrin.h>

__attribute__((target("ssse3"))) static size_t compact_ssse3(
	unsigned char *out, const unsigned char *p, size_t len)
{
	const __m128i nine = _mm_set1_epi8(9), four = _mm_set1_epi8(4),
		      sp = _mm_set1_epi8(' '), nl = _mm_set1_epi8('\n');
	size_t n = 0, i = 0;

	for (; i + 16 <= len; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(p + i));
		__m128i d = _mm_sub_epi8(x, nine);
		/* 9..13 (TAB to CR) or a space, but not the line end */
		__m128i bl =
			_mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(d, four), d),
				     _mm_cmpeq_epi8(x, sp));
		unsigned m, lo, hi;

		bl = _mm_andnot_si128(_mm_cmpeq_epi8(x, nl), bl);
		m = (unsigned)_mm_movemask_epi8(bl);
		lo = m & 255;
		hi = m >> 8;
		_mm_storel_epi64(
			(__m128i *)(out + n),
			_mm_shuffle_epi8(
				x,
				_mm_loadl_epi64((const __m128i *)shuf8[lo])));
		n += cnt8[lo];
		_mm_storel_epi64(
			(__m128i *)(out + n),
			_mm_shuffle_epi8(
				_mm_srli_si128(x, 8),
				_mm_loadl_epi64((const __m128i *)shuf8[hi])));
		n += cnt8[hi];
	}
	return n + compact_scalar(out + n, p + i, len - i);
}

static size_t compact(unsigned char *out, const unsigned char *p, size_t len)
{
	if (__builtin_cpu_supports("ssse3"))
		return compact_ssse3(out, p, len);
	return compact_scalar(out, p, len);
}
#else
static size_t compact(unsigned char *out, const unsigned char *p, size_t len)
{
	return compact_scalar(out, p, len);
}
#endif

/* One folded line (no white space): the value lh_line() gives. */
static uint64_t folded_hash(const unsigned char *q, size_t l)
{
	uint64_t h = FNV_OFFSET;
	size_t k;

	for (k = 0; k + 8 <= l; k += 8)
		h = fold_word(h, le64(q + k));
	if (l & 7) {
		unsigned char tail[8] = { 0 };

		memcpy(tail, q + k, l & 7);
		h = fold_word(h, le64(tail));
	}
	return mix64(h ^ l);
}

bool emb_fixset_blob(const struct emb_fixset *fs, const char *text, size_t len,
		     struct emb_fixhits *out)
{
	unsigned char *buf;
	const unsigned char *q, *end;
	size_t line = 1;

	out->n = 0;
	if (!fs || !fs->nrefs || !len)
		return false;
	pthread_once(&shuf_once, shuf_init);
	buf = malloc(len + 16);
	if (!buf)
		abort();
	end = buf + compact(buf, (const unsigned char *)text, len);
	for (q = buf; q < end; line++) {
		const unsigned char *eol = memchr(q, '\n', (size_t)(end - q));
		size_t l;

		if (!eol)
			eol = end;
		l = (size_t)(eol - q);
		if (l >= EMB_FIX_MIN_LINE) {
			uint64_t h = folded_hash(q, l);

			if (slot_of(fs, h)->hash)
				hits_add(out, h, line);
		}
		q = eol + 1;
	}
	free(buf);
	return out->n > 0;
}

void emb_fixhits_release(struct emb_fixhits *h)
{
	free(h->v);
	memset(h, 0, sizeof(*h));
}

/* --- the tally --- */

struct trec {
	git_oid commit;
	uint64_t seq;
	uint32_t fix;
	unsigned char *bits; /* one per line of the fix */
	size_t count;
	char *path;	      /* the first file */
	size_t line;	      /* and line */
	struct emb_buf where; /* "path:line, ..." */
	size_t nwhere;
};

struct bhits {
	size_t n;
	struct emb_fixhit v[]; /* the fingerprint lines of one blob */
};

struct emb_fixtally {
	const struct emb_fixset *fs;
	pthread_mutex_t mu;
	struct emb_map recs;  /* commit + fix -> struct trec */
	struct emb_map blobs; /* blob id -> struct bhits */
	struct emb_fixdeferred *d;
	size_t nd, dalloc;
	struct emb_fixpatch *patch;
	size_t npatch, palloc;
};

struct emb_fixtally *emb_fixtally_new(const struct emb_fixset *fs)
{
	struct emb_fixtally *t;

	if (!fs || !fs->nrefs)
		return NULL;
	t = emb_xcalloc(1, sizeof(*t));
	t->fs = fs;
	pthread_mutex_init(&t->mu, NULL);
	return t;
}

static void trec_free(struct trec *r)
{
	free(r->bits);
	free(r->path);
	emb_buf_release(&r->where);
	free(r);
}

void emb_fixtally_free(struct emb_fixtally *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->recs.cap; i++)
		if (t->recs.slots[i].key)
			trec_free(t->recs.slots[i].value);
	emb_map_release(&t->recs);
	for (i = 0; i < t->blobs.cap; i++)
		if (t->blobs.slots[i].key)
			free(t->blobs.slots[i].value);
	emb_map_release(&t->blobs);
	for (i = 0; i < t->nd; i++) {
		free(t->d[i].parents);
		free(t->d[i].path);
	}
	free(t->d);
	free(t->patch);
	pthread_mutex_destroy(&t->mu);
	free(t);
}

void emb_fixtally_blob(struct emb_fixtally *t, const git_oid *blob,
		       const struct emb_fixhits *h)
{
	struct bhits *b;

	if (!t)
		return;
	b = emb_xcalloc(1, sizeof(*b) + h->n * sizeof(b->v[0]));
	b->n = h->n;
	if (h->n)
		memcpy(b->v, h->v, h->n * sizeof(b->v[0]));
	pthread_mutex_lock(&t->mu);
	if (emb_map_get(&t->blobs, blob->id, GIT_OID_RAWSZ) ||
	    !emb_map_put(&t->blobs, blob->id, GIT_OID_RAWSZ, b))
		free(b); /* another thread read it too */
	pthread_mutex_unlock(&t->mu);
}

bool emb_fixtally_blob_hits(struct emb_fixtally *t, const git_oid *blob,
			    struct emb_fixhits *out)
{
	struct bhits *b;
	size_t i;

	if (!t)
		return false;
	pthread_mutex_lock(&t->mu);
	b = emb_map_get(&t->blobs, blob->id, GIT_OID_RAWSZ);
	pthread_mutex_unlock(&t->mu);
	if (!b)
		return false;
	out->n = 0;
	for (i = 0; i < b->n; i++)
		hits_add(out, b->v[i].hash, b->v[i].line);
	return true;
}

void emb_fixhits_drop(struct emb_fixhits *h, const struct emb_fixhits *older)
{
	size_t i, j;

	for (j = 0; j < older->n; j++)
		for (i = 0; i < h->n; i++)
			if (h->v[i].hash == older->v[j].hash) {
				memmove(&h->v[i], &h->v[i + 1],
					(h->n - i - 1) * sizeof(*h->v));
				h->n--;
				break;
			}
}

void emb_fixtally_defer(struct emb_fixtally *t, const git_oid *commit,
			uint64_t seq, const git_oid *tree,
			const git_oid *parents, size_t np, const char *path,
			const git_oid *blob)
{
	struct emb_fixdeferred *d;

	pthread_mutex_lock(&t->mu);
	if (t->nd == t->dalloc) {
		t->dalloc = t->dalloc ? t->dalloc * 2 : 64;
		t->d = emb_xrealloc(t->d, t->dalloc * sizeof(*t->d));
	}
	d = &t->d[t->nd++];
	git_oid_cpy(&d->commit, commit);
	git_oid_cpy(&d->tree, tree);
	git_oid_cpy(&d->blob, blob);
	d->seq = seq;
	d->np = np;
	d->parents = emb_xcalloc(np ? np : 1, sizeof(git_oid));
	memcpy(d->parents, parents, np * sizeof(git_oid));
	d->path = emb_xstrdup(path);
	pthread_mutex_unlock(&t->mu);
}

void emb_fixtally_defer_patch(struct emb_fixtally *t, const git_oid *commit,
			      uint64_t seq, const git_oid *parent_tree,
			      const git_oid *tree)
{
	struct emb_fixpatch *p;

	pthread_mutex_lock(&t->mu);
	if (t->npatch == t->palloc) {
		t->palloc = t->palloc ? t->palloc * 2 : 16;
		t->patch =
			emb_xrealloc(t->patch, t->palloc * sizeof(*t->patch));
	}
	p = &t->patch[t->npatch++];
	memset(p, 0, sizeof(*p));
	git_oid_cpy(&p->commit, commit);
	p->seq = seq;
	p->root = !parent_tree;
	if (parent_tree)
		git_oid_cpy(&p->parent_tree, parent_tree);
	git_oid_cpy(&p->tree, tree);
	pthread_mutex_unlock(&t->mu);
}

size_t emb_fixtally_npatches(const struct emb_fixtally *t)
{
	return t ? t->npatch : 0;
}

const struct emb_fixpatch *emb_fixtally_patch(const struct emb_fixtally *t,
					      size_t i)
{
	return &t->patch[i];
}

bool emb_fixtally_commit_adds(const struct emb_fixtally *t,
			      const git_oid *commit)
{
	unsigned char key[GIT_OID_RAWSZ + 4];
	uint32_t f;

	for (f = 0; t && f < t->fs->nfixes; f++) {
		memcpy(key, commit->id, GIT_OID_RAWSZ);
		memcpy(key + GIT_OID_RAWSZ, &f, 4);
		if (emb_map_has(&t->recs, key, sizeof(key)))
			return true;
	}
	return false;
}

size_t emb_fixtally_ndeferred(const struct emb_fixtally *t)
{
	return t ? t->nd : 0;
}

const struct emb_fixdeferred *emb_fixtally_deferred(
	const struct emb_fixtally *t, size_t i)
{
	return &t->d[i];
}

static void where_add(struct trec *r, const char *path, size_t line)
{
	if (r->nwhere == EVIDENCE_MAX) {
		emb_buf_puts(&r->where, ", ...");
	} else if (r->nwhere < EVIDENCE_MAX) {
		emb_buf_printf(&r->where, "%s%s:%zu", r->nwhere ? ", " : "",
			       path, line);
	}
	r->nwhere++;
	if (!r->path) {
		r->path = emb_xstrdup(path);
		r->line = line;
	}
}

void emb_fixtally_add(struct emb_fixtally *t, const git_oid *commit,
		      uint64_t seq, const char *path,
		      const struct emb_fixhits *h)
{
	const struct emb_fixset *fs;
	size_t i;

	if (!t || !h->n)
		return;
	fs = t->fs;
	pthread_mutex_lock(&t->mu);
	for (i = 0; i < h->n; i++) {
		const struct lslot *s = slot_of(fs, h->v[i].hash);
		uint32_t r;

		for (r = s->ref; r; r = fs->refs[r - 1].next) {
			const struct lref *ref = &fs->refs[r - 1];
			unsigned char key[GIT_OID_RAWSZ + 4];
			struct trec *rec;

			memcpy(key, commit->id, GIT_OID_RAWSZ);
			memcpy(key + GIT_OID_RAWSZ, &ref->fix, 4);
			rec = emb_map_get(&t->recs, key, sizeof(key));
			if (!rec) {
				rec = emb_xcalloc(1, sizeof(*rec));
				git_oid_cpy(&rec->commit, commit);
				rec->seq = seq;
				rec->fix = ref->fix;
				rec->bits = emb_xcalloc(
					fs->fixes[ref->fix].nlines, 1);
				emb_map_put(&t->recs, key, sizeof(key), rec);
			}
			if (rec->bits[ref->idx])
				continue;
			rec->bits[ref->idx] = 1;
			rec->count++;
			where_add(rec, path, h->v[i].line);
		}
	}
	pthread_mutex_unlock(&t->mu);
}

/* Enough of the fix's n lines: at least the threshold, and 2 when n is. */
static bool enough(const struct emb_fixset *fs, size_t k, size_t n)
{
	return n && k * 100 >= (size_t)fs->threshold * n &&
	       k >= (n < 2 ? n : 2);
}

/* Fix findings sort after the commit's metadata, before its files. */
#define FIX_POS ((uint64_t)1 << 37)

void emb_fix_findings_dedupe(struct emb_findings *list)
{
	size_t i, j, keep = 0;

	for (i = 0; i < list->n; i++) {
		struct emb_finding *f = &list->v[i];
		bool dup = false;

		/* sorted: a commit's fix findings are together, best first */
		for (j = keep; f->kind == EMB_KIND_FIX && j-- > 0;) {
			const struct emb_finding *g = &list->v[j];

			if (g->kind != EMB_KIND_FIX || g->seq != f->seq ||
			    !git_oid_equal(&g->commit, &f->commit))
				break;
			if (g->entry == f->entry)
				dup = true;
		}
		if (dup) {
			emb_finding_release(f);
			continue;
		}
		list->v[keep++] = *f;
	}
	list->n = keep;
}

void emb_fix_finding(struct emb_findings *out, git_repository *repo,
		     const struct emb_entry *e, const git_oid *commit,
		     uint64_t seq, uint64_t pos, const char *evidence,
		     const char *path, size_t line, const char *excerpt)
{
	struct emb_finding f = { 0 };
	git_commit *c = NULL;

	f.entry = e;
	f.kind = EMB_KIND_FIX;
	f.how = EMB_HIT_ID;
	f.match = emb_xstrdup(evidence);
	f.has_commit = true;
	git_oid_cpy(&f.commit, commit);
	if (repo && git_commit_lookup(&c, repo, commit) == 0 &&
	    git_commit_summary(c))
		f.subject = emb_xstrdup(git_commit_summary(c));
	git_commit_free(c);
	git_error_clear();
	f.path = path ? emb_xstrdup(path) : NULL;
	f.line = line;
	f.excerpt = excerpt ? emb_xstrdup(excerpt) : NULL;
	f.seq = seq;
	f.pos = FIX_POS + pos;
	emb_findings_add(out, &f);
}

static void rec_finding(struct emb_findings *out, git_repository *repo,
			const struct emb_fixset *fs, const struct trec *r,
			size_t count, const char *who, const char *where)
{
	struct emb_buf ev = EMB_BUF_INIT;
	const struct fix *fx = &fs->fixes[r->fix];

	emb_buf_printf(&ev, "%s %zu of %zu lines of the fix", who, count,
		       fx->nlines);
	emb_fix_finding(out, repo, fx->e, &r->commit, r->seq, 2 + r->fix,
			ev.ptr, r->path, r->line, where);
	emb_buf_release(&ev);
}

/* newest first (lowest seq), ties by commit id */
static int trec_cmp(const void *a, const void *b)
{
	const struct trec *x = *(const struct trec *const *)a,
			  *y = *(const struct trec *const *)b;

	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	if (x->fix != y->fix)
		return x->fix < y->fix ? -1 : 1;
	return git_oid_cmp(&x->commit, &y->commit);
}

/*
 * The commits of a push together: the fix's lines any of them adds.
 * Reported on the newest of them, with every place.
 */
static void together_finding(struct emb_findings *out, git_repository *repo,
			     const struct emb_fixset *fs, struct trec **v,
			     size_t n)
{
	size_t nl = fs->fixes[v[0]->fix].nlines, i, k, count = 0;
	unsigned char *all = emb_xcalloc(nl ? nl : 1, 1);
	struct emb_buf where = EMB_BUF_INIT;

	for (i = 0; i < n; i++) {
		for (k = 0; k < nl; k++)
			if (v[i]->bits[k] && !all[k]) {
				all[k] = 1;
				count++;
			}
		emb_buf_printf(&where, "%s%s", i ? "; " : "", v[i]->where.ptr);
	}
	if (enough(fs, count, nl))
		rec_finding(out, repo, fs, v[0], count,
			    "the pushed commits together add", where.ptr);
	emb_buf_release(&where);
	free(all);
}

void emb_fixtally_findings(struct emb_fixtally *t, git_repository *repo,
			   bool together, struct emb_findings *out)
{
	const struct emb_fixset *fs;
	struct trec **v;
	bool *alone;
	size_t i, j, n = 0;

	if (!t || !t->recs.n)
		return;
	fs = t->fs;
	v = emb_xcalloc(t->recs.n, sizeof(*v));
	alone = emb_xcalloc(fs->nfixes, sizeof(*alone));
	for (i = 0; i < t->recs.cap; i++)
		if (t->recs.slots[i].key)
			v[n++] = t->recs.slots[i].value;
	qsort(v, n, sizeof(*v), trec_cmp);
	for (i = 0; i < n; i++)
		if (enough(fs, v[i]->count, fs->fixes[v[i]->fix].nlines)) {
			rec_finding(out, repo, fs, v[i], v[i]->count, "adds",
				    v[i]->where.ptr);
			alone[v[i]->fix] = true;
		}
	for (i = 0; together && i < n; i++) {
		struct trec **group;
		size_t ng = 0;

		if (alone[v[i]->fix])
			continue;
		alone[v[i]->fix] = true; /* once per fix */
		group = emb_xcalloc(n, sizeof(*group));
		for (j = i; j < n; j++)
			if (v[j]->fix == v[i]->fix)
				group[ng++] = v[j];
		together_finding(out, repo, fs, group, ng);
		free(group);
	}
	free(v);
	free(alone);
}

/* --- fingerprints --- */

static void oids_add(git_oid **v, size_t *n, const git_oid *oid)
{
	*v = emb_xrealloc(*v, (*n + 1) * sizeof(**v));
	git_oid_cpy(&(*v)[(*n)++], oid);
}

/* Strike from `cand` the lines some blob of `tree` already has. */
static int strike_tree(git_repository *repo, git_odb *odb, const git_tree *tree,
		       const struct emb_map *cand, struct emb_map *struck,
		       struct emb_oidset *seen, size_t max_blob)
{
	size_t i, n = git_tree_entrycount(tree);
	int error = 0;

	for (i = 0; i < n && !error && cand->n; i++) {
		const git_tree_entry *te = git_tree_entry_byindex(tree, i);
		const git_oid *id = git_tree_entry_id(te);
		git_object_t type = git_tree_entry_type(te);

		if (!emb_oidset_add(seen, id))
			continue;
		if (type == GIT_OBJECT_TREE) {
			git_tree *sub = NULL;

			if (git_tree_lookup(&sub, repo, id) < 0)
				return EMB_EREPO;
			error = strike_tree(repo, odb, sub, cand, struck, seen,
					    max_blob);
			git_tree_free(sub);
		} else if (type == GIT_OBJECT_BLOB) {
			git_odb_object *obj = NULL;
			const char *p, *end;

			if (git_odb_read(&obj, odb, id) < 0)
				return EMB_EREPO;
			p = git_odb_object_data(obj);
			end = p + git_odb_object_size(obj);
			if (git_odb_object_size(obj) <= max_blob &&
			    !emb_blob_is_binary(p, (size_t)(end - p))) {
				while (p < end) {
					const char *eol = memchr(
						p, '\n', (size_t)(end - p));
					size_t folded;
					uint64_t h;

					if (!eol)
						eol = end;
					h = emb_fix_line_hash(
						p, (size_t)(eol - p), &folded);
					if (folded >= EMB_FIX_MIN_LINE &&
					    emb_map_has(cand, &h, sizeof(h)))
						emb_map_put(struck, &h,
							    sizeof(h), NULL);
					p = eol + 1;
				}
			}
			git_odb_object_free(obj);
		}
	}
	return error;
}

static int fingerprint_commit(struct emb_fingerprint *out, git_repository *repo,
			      git_odb *odb, git_commit *c, size_t max_blob)
{
	struct emb_map cand = EMB_MAP_INIT, have = EMB_MAP_INIT,
		       struck = EMB_MAP_INIT;
	struct emb_oidset seen = EMB_OIDSET_INIT;
	uint64_t *files = NULL;
	const git_oid *ptree = NULL;
	git_commit *parent = NULL;
	git_tree *pt = NULL;
	struct emb_patchid pid = { 0 };
	uint64_t pathset;
	size_t i;
	int error;

	if (git_commit_parentcount(c) == 1) {
		if (git_commit_parent(&parent, c, 0) < 0) {
			emb_error_set_git("cannot read the parent of %s",
					  git_oid_tostr_s(git_commit_id(c)));
			return EMB_EREPO;
		}
		ptree = git_commit_tree_id(parent);
	}
	oids_add(&out->commits, &out->ncommits, git_commit_id(c));
	error = patch_id(&pid.id, &pathset, repo, ptree, git_commit_tree_id(c),
			 &cand, &files);
	if (error < 0)
		goto done;
	if (error == 0) {
		git_oid_cpy(&pid.commit, git_commit_id(c));
		pid.has_commit = true;
		out->patchids = emb_xrealloc(out->patchids,
					     (out->npatchid + 1) * sizeof(pid));
		out->patchids[out->npatchid++] = pid;
		out->paths = emb_xrealloc(out->paths,
					  (out->npaths + 1) * sizeof(uint64_t));
		out->paths[out->npaths++] = pathset;
	}
	error = 0;
	out->candidates += cand.n;
	if (ptree && cand.n) {
		if ((error = tree_of(&pt, repo, ptree)) < 0)
			goto done;
		if ((error = strike_tree(repo, odb, pt, &cand, &struck, &seen,
					 max_blob)) < 0) {
			emb_error_set_git("cannot read the tree of %s's parent",
					  git_oid_tostr_s(git_commit_id(c)));
			goto done;
		}
	}
	for (i = 0; i < out->nlines; i++)
		emb_map_put(&have, &out->lines[i], sizeof(uint64_t), NULL);
	for (i = 0; i < cand.cap; i++) {
		uintptr_t file = (uintptr_t)cand.slots[i].value;
		uint64_t h;
		size_t k;

		if (!cand.slots[i].key)
			continue;
		memcpy(&h, cand.slots[i].key, sizeof(h));
		if (emb_map_has(&struck, &h, sizeof(h)) ||
		    !emb_map_put(&have, &h, sizeof(h), NULL))
			continue;
		out->lines = emb_xrealloc(out->lines,
					  (out->nlines + 1) * sizeof(uint64_t));
		out->lines[out->nlines++] = h;
		/* the name of its file, once */
		for (k = 0; k < out->nfiles && file; k++)
			if (out->files[k] == files[file - 1])
				break;
		if (file && k == out->nfiles) {
			out->files = emb_xrealloc(out->files,
						  (out->nfiles + 1) *
							  sizeof(uint64_t));
			out->files[out->nfiles++] = files[file - 1];
		}
	}
done:
	free(files);
	emb_map_release(&struck);
	emb_map_release(&cand);
	emb_map_release(&have);
	emb_oidset_release(&seen);
	git_tree_free(pt);
	git_commit_free(parent);
	return error;
}

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int emb_fingerprint_range(struct emb_fingerprint *out, git_repository *repo,
			  const struct emb_range *range, size_t max_blob)
{
	git_revwalk *walk = NULL;
	git_odb *odb = NULL;
	git_oid oid, *oids = NULL;
	size_t n = 0, i;
	int error, gerr;

	if ((error = emb_walk_new(&walk, repo, range)) < 0)
		return error;
	while ((gerr = git_revwalk_next(&oid, walk)) == 0)
		oids_add(&oids, &n, &oid);
	git_revwalk_free(walk);
	if (gerr != GIT_ITEROVER) {
		emb_error_set_git("cannot walk the range");
		error = EMB_EREPO;
		goto done;
	}
	if (git_repository_odb(&odb, repo) < 0) {
		emb_error_set_git("cannot open the object database");
		error = EMB_EREPO;
		goto done;
	}
	/* oldest first, so that the list reads in the fix's order */
	for (i = n; i-- > 0 && !error;) {
		git_commit *c = NULL;

		if (git_commit_lookup(&c, repo, &oids[i]) < 0) {
			emb_error_set_git("cannot read commit %s",
					  git_oid_tostr_s(&oids[i]));
			error = EMB_EREPO;
			break;
		}
		if (git_commit_parentcount(c) <= 1)
			error = fingerprint_commit(out, repo, odb, c, max_blob);
		git_commit_free(c);
	}
	if (!error && !out->ncommits) {
		emb_error_set("no commit to fingerprint in the range (merges "
			      "are skipped)");
		error = EMB_EUSAGE;
	}
	if (out->nlines > 1)
		qsort(out->lines, out->nlines, sizeof(uint64_t), u64_cmp);
done:
	git_odb_free(odb);
	free(oids);
	return error;
}

void emb_fingerprint_write(struct emb_buf *out,
			   const struct emb_fingerprint *fp, const char *id,
			   const char *until)
{
	char hex[GIT_OID_HEXSZ + 1], chex[GIT_OID_HEXSZ + 1];
	size_t i;

	emb_buf_printf(out, "[embargo \"%s\"]\n", id);
	if (until)
		emb_buf_printf(out, "\tuntil = %s\n", until);
	for (i = 0; i < fp->ncommits; i++)
		emb_buf_printf(
			out, "\tfix = %s\n",
			git_oid_tostr(hex, sizeof(hex), &fp->commits[i]));
	for (i = 0; i < fp->npatchid; i++)
		emb_buf_printf(
			out, "\tpatchId = %s %s\n",
			git_oid_tostr(hex, sizeof(hex), &fp->patchids[i].id),
			git_oid_tostr(chex, sizeof(chex),
				      &fp->patchids[i].commit));
	for (i = 0; i < fp->npaths; i++)
		emb_buf_printf(out, "\tfixPaths = %016llx\n",
			       (unsigned long long)fp->paths[i]);
	for (i = 0; i < fp->nfiles; i++) {
		if (i % 4 == 0)
			emb_buf_puts(out, "\tfixFiles =");
		emb_buf_printf(out, " %016llx",
			       (unsigned long long)fp->files[i]);
		if (i % 4 == 3 || i + 1 == fp->nfiles)
			emb_buf_putc(out, '\n');
	}
	for (i = 0; i < fp->nlines; i++) {
		if (i % 4 == 0)
			emb_buf_puts(out, "\tfixLines =");
		emb_buf_printf(out, " %016llx",
			       (unsigned long long)fp->lines[i]);
		if (i % 4 == 3 || i + 1 == fp->nlines)
			emb_buf_putc(out, '\n');
	}
}

void emb_fingerprint_release(struct emb_fingerprint *fp)
{
	free(fp->commits);
	free(fp->patchids);
	free(fp->paths);
	free(fp->lines);
	free(fp->files);
	memset(fp, 0, sizeof(*fp));
}
