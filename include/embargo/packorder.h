/*
 * packorder.h - where objects lie in their packs, to read them in order.
 *
 * Reading a set of blobs in the order of their offsets in the pack
 * (delta bases before their deltas, neighbours together) is several
 * times faster than reading them in the order history names them: the
 * delta-base cache hits and the pack is read forwards.  libgit2 does
 * not say where an object lies, so the pack indexes (.idx, version 2)
 * are read here (and blobstream.c reads the entries of large blobs);
 * nothing else of the packs is.  The order is only a
 * hint: an object in no index (loose, or in a pack this did not find)
 * sorts last and is read all the same.
 */
#ifndef EMBARGO_PACKORDER_H
#define EMBARGO_PACKORDER_H

#include <stdbool.h>
#include <stdint.h>

#include <git2.h>

struct emb_packorder;

/**
 * Map the pack indexes of the repository's object directories: its own
 * (or $GIT_OBJECT_DIRECTORY), $GIT_ALTERNATE_OBJECT_DIRECTORIES and the
 * objects/info/alternates of each.  Never fails: unreadable indexes are
 * left out.
 */
struct emb_packorder *emb_packorder_new(git_repository *repo);

#define EMB_PACKORDER_NONE UINT64_MAX

/** The sort key of an object: pack, then offset; NONE when not found. */
uint64_t emb_packorder_key(const struct emb_packorder *po, const git_oid *oid);

/**
 * Where an object lies: its pack file and the offset of its entry
 * there, for a reader of its own (blobstream.h).
 * @param[out] pack borrowed from `po`
 * @return false when no index has it
 */
bool emb_packorder_locate(const struct emb_packorder *po, const git_oid *oid,
			  const char **pack, uint64_t *offset);

/**
 * A second object database over the same directories, for a thread of
 * its own: libgit2 locks each pack's reader and shares its delta-base
 * cache between all users of one database.
 * @return 0, or -1 (no directory found, or libgit2 failed)
 */
int emb_packorder_odb(git_odb **out, const struct emb_packorder *po);

void emb_packorder_free(struct emb_packorder *po);

#endif
