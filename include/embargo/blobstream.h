/*
 * blobstream.h - a blob read in pieces, in bounded memory.
 *
 * For files over embargo.maxBlobSize.  libgit2 1.5.1 streams only loose
 * objects (git_odb_open_rstream: the pack backend has no readstream),
 * so an object in a pack is read here from the pack file itself when
 * git stored it whole (every blob over core.bigFileThreshold, 512 MiB,
 * and any other that found no delta base): its entry's zlib stream is
 * inflated piece by piece.  An object stored as a delta cannot be read
 * in pieces (a delta copies from anywhere in its base, which would have
 * to be in memory): opening it says so, and the caller decides.
 */
#ifndef EMBARGO_BLOBSTREAM_H
#define EMBARGO_BLOBSTREAM_H

#include <stddef.h>
#include <stdint.h>

#include <git2.h>

#include "embargo/packorder.h"

struct emb_blobstream;

/**
 * Open the blob `id` of `size` bytes for reading in pieces.
 * @param po the pack indexes to find it in (NULL: loose objects only)
 * @return 0, EMB_ENOTFOUND when it can only be read whole (a delta in
 * a pack), EMB_EREPO when it cannot be read at all (message set)
 */
int emb_blobstream_open(struct emb_blobstream **out, git_odb *odb,
			const struct emb_packorder *po, const git_oid *id,
			uint64_t size);

/**
 * Read the next bytes, up to `len`.
 * @return the number read (0 at the end), or EMB_EREPO (a corrupt
 * object: more or fewer bytes than its size)
 */
int64_t emb_blobstream_read(struct emb_blobstream *s, char *buf, size_t len);

void emb_blobstream_free(struct emb_blobstream *s);

#endif
