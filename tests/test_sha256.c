/*
 * test_sha256.c - SHA-256 digests: the FIPS 180-2 test vectors, and the
 * identities the tool's outputs are built on (a hashed list entry, a
 * fingerprint's hex form) staying what they were.
 */
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#include "embargo/buf.h"
#include "embargo/list.h"
#include "embargo/sha256.h"

/* FIPS 180-2, appendix B, and the digest of no bytes */
static const struct {
	const char *in, *hex;
} vectors[] = {
	{ "",
	  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	{ "abc",
	  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
};

static void digest_raw(void **state)
{
	unsigned char d[EMB_SHA256_LEN];
	size_t i;

	emb_sha256(d, "abc", 3);
	assert_int_equal(d[0], 0xba);
	assert_int_equal(d[1], 0x78);
	assert_int_equal(d[EMB_SHA256_LEN - 1], 0xad);
	/* no bytes: a NULL pointer is fine */
	emb_sha256(d, NULL, 0);
	assert_int_equal(d[0], 0xe3);
	assert_int_equal(d[EMB_SHA256_LEN - 1], 0x55);
	/* bytes, not a string: a NUL inside counts */
	emb_sha256(d, "a\0b", 3);
	for (i = 0; i < sizeof(vectors) / sizeof(*vectors); i++) {
		unsigned char e[EMB_SHA256_LEN];

		emb_sha256(e, vectors[i].in, strlen(vectors[i].in));
		assert_memory_not_equal(d, e, sizeof(d));
	}
}

static void digest_hex(void **state)
{
	char hex[EMB_SHA256_HEX_SIZE];
	size_t i;

	for (i = 0; i < sizeof(vectors) / sizeof(*vectors); i++) {
		memset(hex, 'x', sizeof(hex));
		emb_sha256_hex(hex, vectors[i].in, strlen(vectors[i].in));
		assert_string_equal(hex, vectors[i].hex);
	}
	/* a million 'a's, FIPS 180-2 B.3: more than any one block */
	{
		size_t n = 1000000;
		char *a = malloc(n);

		assert_non_null(a);
		memset(a, 'a', n);
		emb_sha256_hex(hex, a, n);
		assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67"
					 "f1809a48a497200e046d39ccc7112cd0");
		free(a);
	}
}

static void tohex(void **state)
{
	unsigned char d[EMB_SHA256_LEN];
	char hex[EMB_SHA256_HEX_SIZE];
	size_t i;

	for (i = 0; i < EMB_SHA256_LEN; i++)
		d[i] = (unsigned char)(i * 17 + 0x0f);
	memset(hex, 'x', sizeof(hex));
	emb_sha256_tohex(hex, d);
	/* lower case, both nibbles, every byte: 0x0f, 0x20, ... 0x1e */
	assert_string_equal(hex, "0f2031425364758697a8b9cadbecfd0e"
				 "1f30415263748596a7b8c9daebfc0d1e");
	/* the bytes back, through the one hex decoder */
	{
		unsigned char back[EMB_SHA256_LEN];

		assert_true(emb_hex_decode(back, hex, EMB_SHA256_LEN));
		assert_memory_equal(back, d, sizeof(d));
	}
}

/* A list's "sha256:<hex>" entry is the digest of the canonical id. */
static void id_hash_is_sha256(void **state)
{
	unsigned char a[EMB_HASH_LEN], b[EMB_SHA256_LEN];
	char hex[EMB_SHA256_HEX_SIZE];

	assert_int_equal(EMB_HASH_LEN, EMB_SHA256_LEN);
	emb_id_hash(a, "CVE-2026-31337");
	emb_sha256(b, "CVE-2026-31337", strlen("CVE-2026-31337"));
	assert_memory_equal(a, b, sizeof(a));
	emb_sha256_tohex(hex, a);
	/* printf 'CVE-2026-31337' | sha256sum */
	assert_string_equal(hex, "6ea44d21944d4f2e06fba6630d9c911f"
				 "cca05a709281405c35776ddb16265189");
}

int main(void)
{
	const struct CMUnitTest raw[] = {
		cmocka_unit_test(digest_raw),
	};
	const struct CMUnitTest hexd[] = {
		cmocka_unit_test(digest_hex),
	};
	const struct CMUnitTest th[] = {
		cmocka_unit_test(tohex),
	};
	const struct CMUnitTest id[] = {
		cmocka_unit_test(id_hash_is_sha256),
	};
	int failed = 0;

	failed += cmocka_run_group_tests_name("emb_sha256", raw, NULL, NULL);
	failed +=
		cmocka_run_group_tests_name("emb_sha256_hex", hexd, NULL, NULL);
	failed +=
		cmocka_run_group_tests_name("emb_sha256_tohex", th, NULL, NULL);
	failed += cmocka_run_group_tests_name("emb_id_hash", id, NULL, NULL);
	return failed ? 1 : 0;
}
