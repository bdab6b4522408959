/*
 * report_html.h - the audit as one self-contained HTML page.
 *
 * The page has no external reference of any kind (a Content-Security-
 * Policy of default-src 'none' says so to the browser): the totals, two
 * inline SVG charts drawn here (SECURITY.md age across the organisation,
 * and verdicts), and a table of every problem with how to fix it, which
 * a short inline script makes sortable and filterable.  Without the
 * script the page still shows everything.  Rows are spooled to a
 * temporary file as they come, so memory stays flat; the totals and the
 * charts, which come first on the page, are written at the end.
 */
#ifndef EMBARGO_REPORT_HTML_H
#define EMBARGO_REPORT_HTML_H

#include <stdio.h>

#include <jansson.h>

#include "embargo/audit.h"
#include "embargo/buf.h"
#include "embargo/date.h"

struct emb_html;

/**
 * @param[out] out the caller's to free with emb_html_free()
 * @return 0, or EMB_ERROR when no temporary file can be made
 */
int emb_html_new(struct emb_html **out, FILE *stream, const char *title,
		 emb_date today);

/** Spool the table lines of one repository row. */
int emb_html_row(struct emb_html *h, const json_t *row);

/** Write the whole page: head, leaks per identifier, totals, charts,
 * table, script. */
int emb_html_finish(struct emb_html *h, const struct emb_audit_summary *s,
		    struct emb_audit_rollup *rollup);

void emb_html_free(struct emb_html *h);

/** Append `s` to `out` with &, <, >, " and ' escaped. */
void emb_html_escape(struct emb_buf *out, const char *s);

#endif
