/*
 * policy_int.h - what the policy*.c files share and nobody else sees:
 * the parsed document, the state of one check, and the rule helpers.
 *
 * policy.c       finds and reads the file, runs the rules, owns results
 * policy_md.c    Markdown through cmark-gfm (tables, autolinks)
 * policy_text.c  reStructuredText and AsciiDoc: a small text reader
 * policy_rules.c what the file says: contacts, placeholders, channels,
 *                dates, the GitHub template; the Scorecard score
 * policy_versions.c  versions tables against release tags
 * policy_template.c  drift from the organisation's template
 * policy_links.c dead links inside the repository (and its siblings)
 * policy_report.c    text and SARIF renderers
 */
#ifndef EMBARGO_POLICY_INT_H
#define EMBARGO_POLICY_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <git2.h>

#include "embargo/buf.h"
#include "embargo/date.h"
#include "embargo/policy.h"

/* At most this much of a policy is read (a policy is a page or two). */
#define POL_READ_CAP (256 * 1024)

enum pol_format { POL_MARKDOWN, POL_RST, POL_ASCIIDOC };

enum pol_block_kind {
	POL_BLK_TEXT, /* paragraph or list item text */
	POL_BLK_HEADING,
	POL_BLK_CELL, /* one table cell */
	POL_BLK_CODE, /* code block: not prose */
	POL_BLK_HTML, /* raw HTML block (comments included) */
};

/* A leaf block's visible text; '\n' separates the lines of the source. */
struct pol_block {
	enum pol_block_kind kind;
	char *text;
	size_t line;	/* 1-based line of the block's first line */
	size_t section; /* index of the heading block above it, or SIZE_MAX */
};

struct pol_link {
	char *url;  /* as written ("mailto:" kept) */
	char *text; /* link text; the URL itself for a bare link */
	size_t line;
	size_t block;  /* block it sits in, SIZE_MAX when none */
	size_t offset; /* where its text starts in the block's text */
	bool bare;     /* autolinked or bare URL: text is the URL */
};

struct pol_email {
	char *addr;
	size_t line;
	size_t block;
	size_t offset;
};

struct pol_row {
	char **cells;
	size_t ncells;
	size_t line;
	bool header;
};

struct pol_table {
	struct pol_row *rows;
	size_t nrows;
	size_t line;
	bool ragged; /* rows with a different number of cells were seen */
};

/* "Key: value" lines of the text and of YAML front matter. */
struct pol_meta {
	char *key;   /* lower case, single spaces */
	char *value; /* trimmed */
	size_t line;
};

struct pol_doc {
	enum pol_format format;
	const char *text; /* the bytes judged (borrowed) */
	size_t len;
	struct pol_block *blocks;
	size_t nblocks, ablocks;
	struct pol_link *links;
	size_t nlinks, alinks;
	struct pol_email *emails;
	size_t nemails, aemails;
	struct pol_table *tables;
	size_t ntables, atables;
	struct pol_meta *meta;
	size_t nmeta, ameta;
	bool has_body; /* anything besides headings, blank lines, comments */
};

/* Builders shared by the readers. */
size_t pol_doc_add_block(struct pol_doc *d, enum pol_block_kind kind,
			 char *text, size_t line, size_t section);
void pol_doc_add_link(struct pol_doc *d, const char *url, size_t ulen,
		      const char *text, size_t tlen, size_t line, size_t block,
		      size_t offset, bool bare);
void pol_doc_add_email(struct pol_doc *d, const char *addr, size_t len,
		       size_t line, size_t block, size_t offset);
struct pol_table *pol_doc_add_table(struct pol_doc *d, size_t line);
void pol_table_add_row(struct pol_table *t, char **cells, size_t n, size_t line,
		       bool header);
void pol_doc_add_meta(struct pol_doc *d, const char *key, size_t klen,
		      const char *value, size_t vlen, size_t line);
/**
 * Find bare URLs and e-mail addresses in plain text (code, HTML, and
 * the whole text of reStructuredText and AsciiDoc) and add them.
 * @param line line of text[0]; '\n' advances it
 * @param links false: only e-mail addresses (the text already had its
 * links found by a real parser)
 */
void pol_scan_tokens(struct pol_doc *d, const char *text, size_t len,
		     size_t line, size_t block, bool links);
/**
 * Add the addresses written to keep harvesters off ("security [at]
 * example.org", "name at example dot com") in a block's text: for
 * Markdown, whose parser finds the plain ones as links.
 */
void pol_scan_obfuscated(struct pol_doc *d, const char *text, size_t len,
			 size_t line, size_t block);
/** "Key: value" lines inside a block of text. */
void pol_scan_meta(struct pol_doc *d, const char *text, size_t line);
/** YAML front matter ("---" ... "---" at the top): its length, or 0. */
size_t pol_front_matter(struct pol_doc *d, const char *text, size_t len);

/** Parse `text` (NUL-terminated, len bytes) as `format`. */
void pol_doc_parse(struct pol_doc *d, const char *text, size_t len,
		   enum pol_format format);
void pol_parse_markdown(struct pol_doc *d, const char *text, size_t len);
void pol_parse_text(struct pol_doc *d, const char *text, size_t len);
void pol_doc_release(struct pol_doc *d);

/** The section heading above block b, "" when none. */
const char *pol_section_of(const struct pol_doc *d, size_t block);
/** Bounds of the sentence around `offset` in block b's text. */
void pol_sentence(const struct pol_doc *d, size_t block, size_t offset,
		  size_t *start, size_t *end);

/* Case-insensitive search for an ASCII word in n bytes. */
const char *pol_memcasestr(const char *hay, size_t n, const char *needle);
bool pol_is_email_char(int c);

/* A release tag: a version, and when it was made. */
struct pol_version {
	unsigned long v[6];
	size_t n;
	bool pre; /* -rc, -alpha, -beta, -mNN, ... */
};

struct pol_tag {
	char *name; /* without refs/tags/ */
	struct pol_version version;
	emb_date date;
};

struct pol_tags {
	struct pol_tag *v;
	size_t n, alloc;
};

/** Parse a tag name or table cell as a version ("v1.2.3", "pkg-1.2"). */
bool pol_version_parse(struct pol_version *out, const char *s);
int pol_version_cmp(const struct pol_version *a, const struct pol_version *b);

/* Everything one check needs. */
struct pol_ctx {
	git_repository *repo; /* the repository judged */
	git_config *cfg;      /* its config snapshot, may be NULL */
	const struct emb_policy_opts *opts;
	struct emb_policy_result *res;
	emb_date today;
	bool strict;
	int64_t max_age; /* days */

	const char *path;	   /* path shown in messages */
	git_repository *file_repo; /* where the file lives (org default) */
	git_tree *file_tree;	   /* the tree holding the file */
	git_tree *rev_tree;	   /* the tree of the revision judged */
	char *file_dir;		   /* its folder in that tree, "" for root */

	char **domains; /* embargo.policy.domain */
	size_t ndomains;
	char **defunct; /* embargo.policy.defunct */
	size_t ndefunct;
	char **own; /* "host/owner/repo" of this repository */
	size_t nown;
	struct pol_tags tags; /* version tags, sorted by version */
	bool tags_loaded;
	/* the file says something releases can make stale: a versions
	 * table, or versions named in its text */
	bool version_claim;
	struct pol_version named[16]; /* the versions it names */
	size_t nnamed;
	char *template_path;
};

/** Append a problem of `rule`, with the table's severity, to the
 * result (message printf-style). */
void emb_policy_add(struct emb_policy_result *r, enum emb_policy_rule rule,
		    size_t line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/** The same, with another severity than the table's: a rule that is
 * lighter or heavier in one case (a file read in part, --strict). */
void emb_policy_add_sev(struct emb_policy_result *r, enum emb_policy_rule rule,
			enum emb_severity sev, size_t line, const char *fmt,
			...) __attribute__((format(printf, 5, 6)));

/* The rules, each reading the document and adding problems. */
void pol_rules_content(struct pol_ctx *c, const struct pol_doc *d);
void pol_rules_dates(struct pol_ctx *c, const struct pol_doc *d);
int pol_rules_versions(struct pol_ctx *c, const struct pol_doc *d);
int pol_rules_links(struct pol_ctx *c, const struct pol_doc *d);
int pol_rules_template(struct pol_ctx *c, const char *text, size_t len,
		       const struct pol_doc *d);

/** Does a version the file names ("2.4.x", "4.x", "7.4") include v? */
bool pol_named_covers(const struct pol_ctx *c, const struct pol_version *v);
int pol_load_tags(struct pol_ctx *c);
/** OpenSSF Scorecard's Security-Policy score of raw bytes (0-10). */
int pol_scorecard(const char *text, size_t len);

/** "host/owner/repo" of a remote URL, lower case; NULL if not one. */
char *pol_repo_id(const char *url);

/** Parse a date as written in policies; EMB_DATE_NONE if it is none. */
emb_date pol_parse_date(const char *s);

#endif
