/*
 * fuzz_policy.c - libFuzzer target: any bytes as a SECURITY.md, parsed
 * as Markdown, reStructuredText and AsciiDoc (the first byte chooses),
 * then judged by every rule that reads only the document: content,
 * dates, the versions table (against no tags), links (no tree to
 * resolve them in) and the Scorecard score, and printed.  Text with NUL
 * bytes in its first 8000 is refused before parsing, as policy.c does.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embargo/policy.h"
#include "../../src/policy/policy_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum pol_format formats[] = { POL_MARKDOWN, POL_RST,
						   POL_ASCIIDOC };
	static FILE *devnull;
	struct emb_policy_opts opts = EMB_POLICY_OPTS_INIT;
	struct emb_policy_result *res;
	struct pol_ctx c;
	struct pol_doc doc;
	char *text;
	size_t len;

	if (size < 1)
		return 0;
	len = size - 1;
	if (memchr(data + 1, '\0', len < 8000 ? len : 8000))
		return 0;
	if (!devnull && !(devnull = fopen("/dev/null", "w")))
		abort();
	text = malloc(len + 1);
	res = calloc(1, sizeof(*res));
	if (!text || !res)
		abort();
	memcpy(text, data + 1, len);
	text[len] = '\0';
	res->template_similarity = -1;

	memset(&c, 0, sizeof(c));
	c.opts = &opts;
	c.res = res;
	c.today = 20605; /* 2026-06-01 */
	c.max_age = 365;
	c.path = "SECURITY.md";
	c.tags_loaded = true;

	res->scorecard = pol_scorecard(text, len);
	pol_doc_parse(&doc, text, len, formats[data[0] % 3]);
	pol_rules_content(&c, &doc);
	pol_rules_dates(&c, &doc);
	if (pol_rules_versions(&c, &doc) < 0 || pol_rules_links(&c, &doc) < 0)
		abort(); /* neither reads anything that can fail here */
	emb_policy_print(devnull, res, false, false, "");
	pol_doc_release(&doc);
	emb_policy_result_free(res);
	free(text);
	return 0;
}
