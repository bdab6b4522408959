/*
 * blobstream.c - large blobs read in pieces (blobstream.h).
 *
 * A pack entry (Documentation/gitformat-pack.txt) starts with its type
 * in bits 4-6 of the first byte and its size in a little-endian varint
 * (4 bits, then 7 a byte); the types 1-4 (commit, tree, blob, tag) are
 * followed by the zlib stream of the object, 6 and 7 (offset and ref
 * deltas) by a delta.  index-pack has checked every entry of a pack
 * against its index when it was received, so the entry at the offset
 * the index gives is the object; the size is checked all the same.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "embargo/blobstream.h"
#include "embargo/buf.h"
#include "embargo/error.h"

#define IN_CHUNK 65536

struct emb_blobstream {
	git_odb_stream *loose;
	int fd;
	uint64_t at; /* next byte of the pack to read */
	z_stream z;
	bool z_open, z_end;
	unsigned char in[IN_CHUNK];
	uint64_t size, done;
};

static int bad(const git_oid *id, const char *what)
{
	char hex[GIT_OID_HEXSZ + 1];

	emb_error_set("cannot read blob %s: %s",
		      git_oid_tostr(hex, sizeof(hex), id), what);
	return EMB_EREPO;
}

/* The entry at `offset`: @return 0, EMB_ENOTFOUND (a delta), <0 */
static int open_entry(struct emb_blobstream *s, const char *pack,
		      uint64_t offset, const git_oid *id)
{
	unsigned char h[16];
	ssize_t n;
	uint64_t size;
	unsigned type, shift = 4;
	size_t i = 0;

	if ((s->fd = open(pack, O_RDONLY | O_CLOEXEC)) < 0)
		return bad(id, "cannot open its pack");
	if ((n = pread(s->fd, h, sizeof(h), (off_t)offset)) < 1)
		return bad(id, "cannot read its pack");
	type = (h[0] >> 4) & 7;
	size = h[0] & 15;
	while (h[i] & 0x80) {
		if (++i >= (size_t)n || shift > 57)
			return bad(id, "corrupt pack entry");
		size |= (uint64_t)(h[i] & 0x7f) << shift;
		shift += 7;
	}
	if (type == 6 || type == 7)
		return EMB_ENOTFOUND;
	if (type != 3 || size != s->size)
		return bad(id, "its pack entry is no such blob");
	s->at = offset + i + 1;
	if (inflateInit(&s->z) != Z_OK)
		return bad(id, "zlib failed");
	s->z_open = true;
	return 0;
}

int emb_blobstream_open(struct emb_blobstream **out, git_odb *odb,
			const struct emb_packorder *po, const git_oid *id,
			uint64_t size)
{
	struct emb_blobstream *s = emb_xcalloc(1, sizeof(*s));
	git_object_t type;
	size_t len;
	const char *pack;
	uint64_t offset;
	int error;

	*out = NULL;
	s->fd = -1;
	s->size = size;
	if (git_odb_open_rstream(&s->loose, &len, &type, odb, id) == 0) {
		if (type != GIT_OBJECT_BLOB || len != size) {
			emb_blobstream_free(s);
			return bad(id, "not the blob it was said to be");
		}
		*out = s;
		return 0;
	}
	git_error_clear();
	s->loose = NULL;
	if (!emb_packorder_locate(po, id, &pack, &offset)) {
		emb_blobstream_free(s);
		return bad(id, "in no pack this reads");
	}
	if ((error = open_entry(s, pack, offset, id)) < 0) {
		emb_blobstream_free(s);
		return error;
	}
	*out = s;
	return 0;
}

int64_t emb_blobstream_read(struct emb_blobstream *s, char *buf, size_t len)
{
	if (s->loose) {
		int n = git_odb_stream_read(s->loose, buf,
					    len > INT32_MAX ? INT32_MAX : len);

		if (n < 0) {
			emb_error_set_git("cannot read a large blob");
			return EMB_EREPO;
		}
		s->done += (uint64_t)n;
		if (s->done > s->size || (n == 0 && s->done != s->size)) {
			emb_error_set("a large blob is not the size it said");
			return EMB_EREPO;
		}
		return n;
	}
	s->z.next_out = (unsigned char *)buf;
	s->z.avail_out = (uInt)(len > UINT32_MAX ? UINT32_MAX : len);
	while (s->z.avail_out && !s->z_end) {
		int r;

		if (!s->z.avail_in) {
			ssize_t n = pread(s->fd, s->in, sizeof(s->in),
					  (off_t)s->at);

			if (n <= 0) {
				emb_error_set("a large blob's pack entry ends "
					      "early");
				return EMB_EREPO;
			}
			s->at += (uint64_t)n;
			s->z.next_in = s->in;
			s->z.avail_in = (uInt)n;
		}
		r = inflate(&s->z, Z_NO_FLUSH);
		if (r == Z_STREAM_END)
			s->z_end = true;
		else if (r != Z_OK) {
			emb_error_set("a large blob's pack entry is corrupt "
				      "(zlib)");
			return EMB_EREPO;
		}
	}
	len -= s->z.avail_out;
	s->done += len;
	if (s->done > s->size || (s->z_end && !len && s->done != s->size)) {
		emb_error_set("a large blob is not the size it said");
		return EMB_EREPO;
	}
	return (int64_t)len;
}

void emb_blobstream_free(struct emb_blobstream *s)
{
	if (!s)
		return;
	if (s->loose)
		git_odb_stream_free(s->loose);
	if (s->z_open)
		inflateEnd(&s->z);
	if (s->fd >= 0)
		close(s->fd);
	free(s);
}
