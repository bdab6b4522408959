/*
 * sha256.h - SHA-256 digests of bytes, raw or as lowercase hex.
 *
 * The one place the tool hashes with SHA-256: hashed list entries (list.h
 * builds emb_id_hash() on it), shard keys, cache folder names and SARIF
 * fingerprints.  OpenSSL's EVP interface does the work.
 */
#ifndef EMBARGO_SHA256_H
#define EMBARGO_SHA256_H

#include <stddef.h>

/** Bytes in a SHA-256 digest. */
#define EMB_SHA256_LEN 32

/** Bytes of its hex form: 64 lowercase digits and the terminating NUL. */
#define EMB_SHA256_HEX_SIZE (2 * EMB_SHA256_LEN + 1)

/**
 * The SHA-256 digest of `len` bytes at `data` (NULL when `len` is 0).
 * @param[out] out the 32-byte digest
 */
void emb_sha256(unsigned char out[EMB_SHA256_LEN], const void *data,
		size_t len);

/**
 * The SHA-256 digest of `len` bytes at `data`, as 64 lowercase hex digits.
 * @param[out] out EMB_SHA256_HEX_SIZE bytes, NUL-terminated
 */
void emb_sha256_hex(char out[EMB_SHA256_HEX_SIZE], const void *data,
		    size_t len);

/**
 * Write a digest as 64 lowercase hex digits.
 * @param[out] out EMB_SHA256_HEX_SIZE bytes, NUL-terminated
 */
void emb_sha256_tohex(char out[EMB_SHA256_HEX_SIZE],
		      const unsigned char digest[EMB_SHA256_LEN]);

#endif
