/*
 * packorder.c - object offsets from pack indexes (.idx version 2).
 *
 * The format (Documentation/gitformat-pack.txt): "\377tOc", version 2,
 * 256 big-endian fan-out counts, the sorted object ids, their CRCs,
 * their 4-byte offsets (high bit set: an index into the table of 8-byte
 * offsets that follows), then two checksums.  Indexes are mapped, not
 * read, and only the parts a lookup touches are paged in.
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "embargo/bigendian.h"
#include "embargo/buf.h"
#include "embargo/error.h"
#include "embargo/packorder.h"

#include <git2/odb_backend.h>
#include <git2/sys/odb_backend.h>

#define IDX_HEADER 8
#define IDX_FANOUT EMB_FANOUT_SIZE
#define MAX_DIRS 32
#define MAX_PACKS 0xFFFF
#define OFFSET_BITS 48

struct idx {
	char *pack; /* the .pack beside it */
	const unsigned char *map;
	size_t size;
	uint32_t n;
	const unsigned char *ids, *off32, *off64;
	size_t n64;
};

struct emb_packorder {
	struct idx *v;
	size_t n, alloc;
	char *dirs[MAX_DIRS];
	size_t ndirs;
};

static void add_idx(struct emb_packorder *po, const char *path)
{
	static const unsigned char magic[] = {
		0xff, 't', 'O', 'c', 0, 0, 0, 2
	};
	struct idx x = { 0 };
	struct stat st;
	uint64_t need;
	int fd;

	if (po->n >= MAX_PACKS || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	if (fstat(fd, &st) < 0 || st.st_size < IDX_HEADER + IDX_FANOUT + 40) {
		close(fd);
		return;
	}
	x.size = (size_t)st.st_size;
	x.map = mmap(NULL, x.size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (x.map == MAP_FAILED)
		return;
	if (memcmp(x.map, magic, sizeof(magic)))
		goto bad;
	if (!emb_be_fanout_check(&x.n, x.map + IDX_HEADER, x.size - IDX_HEADER))
		goto bad;
	/* in 64 bits: a count from the file must not wrap a 32-bit size */
	need = IDX_HEADER + IDX_FANOUT + (uint64_t)x.n * (GIT_OID_RAWSZ + 8) +
	       40;
	if (need > x.size || (x.size - need) % 8)
		goto bad;
	x.ids = x.map + IDX_HEADER + IDX_FANOUT;
	x.off32 = x.ids + (size_t)x.n * (GIT_OID_RAWSZ + 4);
	x.off64 = x.off32 + (size_t)x.n * 4;
	x.n64 = (x.size - need) / 8;
	if (po->n == po->alloc) {
		po->alloc = po->alloc ? po->alloc * 2 : 8;
		po->v = emb_xrealloc(po->v, po->alloc * sizeof(*po->v));
	}
	{ /* "pack-<id>.idx" -> "pack-<id>.pack" (add_dir: ends in .idx) */
		struct emb_buf pack = EMB_BUF_INIT;

		emb_buf_put(&pack, path, strlen(path) - 4);
		emb_buf_puts(&pack, ".pack");
		x.pack = emb_buf_detach(&pack);
	}
	po->v[po->n++] = x;
	return;
bad:
	munmap((void *)x.map, x.size);
}

static void add_dir(struct emb_packorder *po, const char *dir, int depth);

static void read_alternates(struct emb_packorder *po, const char *dir,
			    int depth)
{
	struct emb_buf path = EMB_BUF_INIT;
	char line[PATH_MAX];
	FILE *f;

	emb_buf_printf(&path, "%s/info/alternates", dir);
	f = fopen(path.ptr, "r");
	emb_buf_release(&path);
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		if (line[0] == '/') {
			add_dir(po, line, depth + 1);
		} else {
			emb_buf_printf(&path, "%s/%s", dir, line);
			add_dir(po, path.ptr, depth + 1);
			emb_buf_release(&path);
		}
	}
	fclose(f);
}

/* An object directory: its packs, then its alternates (as git: 5 deep). */
static void add_dir(struct emb_packorder *po, const char *dir, int depth)
{
	struct emb_buf path = EMB_BUF_INIT;
	char real[PATH_MAX];
	struct dirent *de;
	DIR *d;
	size_t i;

	if (depth > 5 || po->ndirs == MAX_DIRS || !realpath(dir, real))
		return;
	for (i = 0; i < po->ndirs; i++)
		if (!strcmp(po->dirs[i], real))
			return;
	po->dirs[po->ndirs++] = emb_xstrdup(real);

	emb_buf_printf(&path, "%s/pack", real);
	if ((d = opendir(path.ptr)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			size_t len = strlen(de->d_name);
			struct emb_buf idx = EMB_BUF_INIT;

			if (len < 5 || strcmp(de->d_name + len - 4, ".idx"))
				continue;
			emb_buf_printf(&idx, "%s/%s", path.ptr, de->d_name);
			add_idx(po, idx.ptr);
			emb_buf_release(&idx);
		}
		closedir(d);
	}
	emb_buf_release(&path);
	read_alternates(po, real, depth);
}

static void add_dirs_from(struct emb_packorder *po, const char *list)
{
	const char *p = list;

	while (p && *p) {
		const char *end = strchr(p, ':');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len) {
			char *dir = emb_xstrndup(p, len);

			add_dir(po, dir, 0);
			free(dir);
		}
		p = end ? end + 1 : NULL;
	}
}

struct emb_packorder *emb_packorder_new(git_repository *repo)
{
	struct emb_packorder *po = emb_xcalloc(1, sizeof(*po));
	struct emb_buf dir = EMB_BUF_INIT;

	/* a hook's quarantine first: that is where a push's objects are */
	add_dirs_from(po, getenv("GIT_OBJECT_DIRECTORY"));
	emb_buf_printf(&dir, "%sobjects", git_repository_commondir(repo));
	add_dir(po, dir.ptr, 0);
	emb_buf_release(&dir);
	add_dirs_from(po, getenv("GIT_ALTERNATE_OBJECT_DIRECTORIES"));
	return po;
}

static uint64_t idx_offset(const struct idx *x, uint32_t pos)
{
	uint32_t o = emb_be_u32(x->off32 + 4 * (size_t)pos);
	uint64_t off;

	if (!(o & 0x80000000u))
		return o;
	o &= 0x7fffffffu;
	/* an index into the table of large offsets, which may lie */
	if (!emb_be_u64_at(&off, x->off64, 8 * x->n64, 8 * (uint64_t)o))
		return EMB_PACKORDER_NONE;
	return off;
}

/* The pack (index in po->v) and offset of an object: false if none. */
static bool find(const struct emb_packorder *po, const git_oid *oid,
		 size_t *pack, uint64_t *offset)
{
	size_t k;

	for (k = 0; po && k < po->n; k++) {
		const struct idx *x = &po->v[k];
		uint32_t lo, hi;

		emb_be_fanout_range(&lo, &hi, x->map + IDX_HEADER, oid->id[0]);

		while (lo < hi) {
			uint32_t mid = lo + (hi - lo) / 2;
			int c = memcmp(x->ids + (size_t)mid * GIT_OID_RAWSZ,
				       oid->id, GIT_OID_RAWSZ);

			if (!c) {
				*pack = k;
				*offset = idx_offset(x, mid);
				return true;
			}
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	return false;
}

uint64_t emb_packorder_key(const struct emb_packorder *po, const git_oid *oid)
{
	size_t k;
	uint64_t off;

	if (!find(po, oid, &k, &off))
		return EMB_PACKORDER_NONE;
	if (off >> OFFSET_BITS)
		return EMB_PACKORDER_NONE - 1;
	return (uint64_t)k << OFFSET_BITS | off;
}

bool emb_packorder_locate(const struct emb_packorder *po, const git_oid *oid,
			  const char **pack, uint64_t *offset)
{
	size_t k;

	if (!find(po, oid, &k, offset) || *offset == EMB_PACKORDER_NONE)
		return false;
	*pack = po->v[k].pack;
	return true;
}

int emb_packorder_odb(git_odb **out, const struct emb_packorder *po)
{
	git_odb *odb = NULL;
	size_t i;

	*out = NULL;
	if (!po || !po->ndirs || git_odb_new(&odb) < 0)
		return -1;
	for (i = 0; i < po->ndirs; i++) { /* as libgit2: packs first */
		git_odb_backend *pack = NULL, *loose = NULL;

		if (git_odb_backend_pack(&pack, po->dirs[i]) < 0 ||
		    git_odb_add_backend(odb, pack, 2) < 0) {
			if (pack)
				pack->free(pack);
			git_odb_free(odb);
			return -1;
		}
		/* added: the database owns it now */
		if (git_odb_backend_loose(&loose, po->dirs[i], -1, 0, 0, 0) <
			    0 ||
		    git_odb_add_backend(odb, loose, 1) < 0) {
			if (loose)
				loose->free(loose);
			git_odb_free(odb);
			return -1;
		}
	}
	*out = odb;
	return 0;
}

void emb_packorder_free(struct emb_packorder *po)
{
	size_t i;

	if (!po)
		return;
	for (i = 0; i < po->n; i++) {
		munmap((void *)po->v[i].map, po->v[i].size);
		free(po->v[i].pack);
	}
	for (i = 0; i < po->ndirs; i++)
		free(po->dirs[i]);
	free(po->v);
	free(po);
}
