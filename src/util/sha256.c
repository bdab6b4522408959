/*
 * sha256.c - SHA-256 of bytes through OpenSSL's EVP interface.
 *
 * One-shot digests only: every input the tool hashes (an identifier, a
 * fingerprint line, a URL, a list of names) is already in memory.
 */
#include <openssl/evp.h>

#include "embargo/sha256.h"

void emb_sha256(unsigned char out[EMB_SHA256_LEN], const void *data, size_t len)
{
	unsigned int n = EMB_SHA256_LEN;

	/* EVP_Digest() wants a pointer even for no bytes */
	EVP_Digest(len ? data : "", len, out, &n, EVP_sha256(), NULL);
}

void emb_sha256_tohex(char out[EMB_SHA256_HEX_SIZE],
		      const unsigned char digest[EMB_SHA256_LEN])
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < EMB_SHA256_LEN; i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 15];
	}
	out[2 * EMB_SHA256_LEN] = '\0';
}

void emb_sha256_hex(char out[EMB_SHA256_HEX_SIZE], const void *data, size_t len)
{
	unsigned char digest[EMB_SHA256_LEN];

	emb_sha256(digest, data, len);
	emb_sha256_tohex(out, digest);
}
