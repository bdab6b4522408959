/*
 * cmd_audit.c - `git embargo audit`: an organisation's repositories at
 * once (policy check and embargo scan of each, in parallel, sharded),
 * and `git embargo audit --merge` to combine shard outputs.
 *
 * The library does the work (audit.h); this file reads the options,
 * prints the progress line, writes the report where asked and turns the
 * totals into the exit status.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "embargo/audit.h"
#include "embargo/buf.h"
#include "embargo/error.h"
#include "embargo/session.h"
#include "opt.h"

static const char usage_text[] =
	"usage: git embargo audit [<options>] <folder|url|@file>...\n"
	"   or: git embargo audit --merge [<options>] <part.json>...";

enum {
	OPT_LIST = 1,
	OPT_FORMAT,
	OPT_OUTPUT,
	OPT_JOBS,
	OPT_SHARD,
	OPT_CACHE,
	OPT_REFS,
	OPT_TIMEOUT,
	OPT_NO_DIFFS,
	OPT_PUBLIC,
	OPT_PRIVATE,
	OPT_ORG_DEFAULT,
	OPT_TEMPLATE,
	OPT_STRICT,
	OPT_REDACT,
	OPT_BASELINE,
	OPT_ONLY_NEW,
	OPT_IGNORE,
	OPT_TITLE,
	OPT_QUIET,
	OPT_MERGE,
};

static const struct cli_opt audit_opts[] = {
	{ OPT_LIST, "list", 0, CLI_OPT_VALUE, "FILE",
	  "embargo list (repeatable; default: GIT_EMBARGO_LIST, embargo.list)",
	  0 },
	{ OPT_FORMAT, "format", 0, CLI_OPT_VALUE, "FMT",
	  "text, json, sarif or html (default text)", 0 },
	{ OPT_OUTPUT, "output", 0, CLI_OPT_VALUE, "FILE",
	  "write the report to FILE (replaced when complete)", 0 },
	{ OPT_JOBS, "jobs", 'j', CLI_OPT_VALUE, "N",
	  "repositories audited in parallel (default: processors)", 0 },
	{ OPT_SHARD, "shard", 0, CLI_OPT_VALUE, "I/N",
	  "audit only shard I of N", 0 },
	{ OPT_CACHE, "cache", 0, CLI_OPT_VALUE, "DIR",
	  "mirrors of URL sources (default $XDG_CACHE_HOME/git-embargo)", 0 },
	{ OPT_REFS, "refs", 0, CLI_OPT_VALUE, "GLOB",
	  "refs to scan (repeatable; default refs/heads/* and refs/tags/*); "
	  "'forge': also what a forge publishes (refs/pull/*, "
	  "refs/merge-requests/*)",
	  0 },
	{ OPT_TIMEOUT, "timeout", 0, CLI_OPT_VALUE, "SECONDS",
	  "give up scanning one repository after this long (its row is "
	  "incomplete)",
	  0 },
	{ OPT_NO_DIFFS, "no-diffs", 0, CLI_OPT_SWITCH, NULL,
	  "scan metadata only, not added lines and paths", 0 },
	{ OPT_PUBLIC, "public", 0, CLI_OPT_VALUE, "GLOB",
	  "repositories of these names are public (last match wins; "
	  "embargo.public in a repository's config comes first)",
	  0 },
	{ OPT_PRIVATE, "private", 0, CLI_OPT_VALUE, "GLOB",
	  "repositories of these names are private", 0 },
	{ OPT_ORG_DEFAULT, "org-default", 0, CLI_OPT_VALUE, "REPO",
	  "the organisation's default SECURITY.md repository (path or URL)",
	  0 },
	{ OPT_TEMPLATE, "template", 0, CLI_OPT_VALUE, "FILE",
	  "the organisation's canonical SECURITY.md", 0 },
	{ OPT_STRICT, "strict", 0, CLI_OPT_SWITCH, NULL,
	  "policy warnings are failures", 0 },
	{ OPT_REDACT, "redact", 0, CLI_OPT_SWITCH, NULL,
	  "show embargoed identifiers hashed only", 0 },
	{ OPT_BASELINE, "baseline", 0, CLI_OPT_VALUE, "FILE",
	  "an earlier audit's JSON: mark findings new, unchanged or gone", 0 },
	{ OPT_ONLY_NEW, "only-new", 0, CLI_OPT_SWITCH, NULL,
	  "with --baseline: only what changed", 0 },
	{ OPT_IGNORE, "ignore", 0, CLI_OPT_VALUE, "FILE",
	  "suppressions (default: embargo.auditIgnore, else "
	  "./.embargo-audit-ignore)",
	  0 },
	{ OPT_TITLE, "title", 0, CLI_OPT_VALUE, "TEXT",
	  "title of the HTML report", 0 },
	{ OPT_QUIET, "quiet", 'q', CLI_OPT_SWITCH, NULL, "no progress line",
	  0 },
	{ OPT_MERGE, "merge", 0, CLI_OPT_SWITCH, NULL,
	  "read shard outputs (JSON lines) instead of auditing", 0 },
	{ 0 },
};

const struct cli_opt_cmd cmd_audit_options = {
	.name = "audit",
	.usage = usage_text,
	.opts = audit_opts,
};

struct options {
	const char **lists;
	size_t nlists;
	const char **sources;
	size_t nsources;
	const char **refs;
	size_t nrefs;
	struct emb_audit_visibility *vis;
	size_t nvis;
	const char *format, *output, *shard, *cache, *org_default,
		*template_path, *title, *baseline, *ignore;
	unsigned jobs;
	int64_t timeout_ms;
	bool diffs, strict, redact, quiet, merge, only_new;
};

#define DEFAULT_IGNORE ".embargo-audit-ignore"

/* What the week before says: the baseline and --only-new. */
struct week {
	struct emb_audit_baseline *baseline;
	bool only_new;
};

struct run_state {
	struct emb_audit_sink *sink;
	struct emb_audit_baseline *baseline;
	struct emb_audit_suppressions *ignore;
	bool only_new;
	bool redact; /* rows read back need redacting */
	bool progress_shown;
	size_t width; /* merge pre-pass: longest name */
};

static int emit_row(void *payload, json_t *row)
{
	struct run_state *st = payload;

	if (st->redact)
		emb_audit_row_redact(row);
	if (st->ignore)
		emb_audit_suppressions_apply(st->ignore, row);
	if (st->baseline &&
	    !emb_audit_baseline_apply(st->baseline, row, st->only_new) &&
	    st->only_new)
		return 0;
	return emb_audit_sink_row(st->sink, row);
}

static int measure_row(void *payload, json_t *row)
{
	struct run_state *st = payload;
	size_t len =
		strlen(json_string_value(json_object_get(row, "repository")));

	if (len > st->width)
		st->width = len;
	return 0;
}

static void show_progress(void *payload, const struct emb_audit_progress *p)
{
	struct run_state *st = payload;
	double secs = (double)p->elapsed_ms / 1000.0;
	const char *cur = p->current ? p->current : "";
	size_t len = strlen(cur);

	if (len > 48)
		cur += len - 48;
	fprintf(stderr,
		"\r\033[Kaudit: %zu/%zu repositories, %d:%02d, "
		"%.1f/s%s%s",
		p->done, p->total, (int)(secs / 60), (int)secs % 60,
		secs > 0 ? (double)p->done / secs : 0.0,
		p->done < p->total ? ", now " : "",
		p->done < p->total ? cur : "");
	fflush(stderr);
	st->progress_shown = true;
}

/* Beside a machine-readable report, one line on stderr for what was not
 * (fully) audited: the report is not everything. */
static void say_unaudited(const struct emb_audit_summary *s)
{
	size_t not = s->verdicts[EMB_VERDICT_NOT_AUDITED],
	       inc = s->verdicts[EMB_VERDICT_INCOMPLETE];

	if (not || inc)
		fprintf(stderr,
			"git-embargo: of %zu repositories, %zu could not be "
			"audited and %zu only in part (their rows say why)\n",
			s->repositories, not, inc);
}

/* @return -1 to go on, else the exit status */
static int parse(struct options *o, int argc, char **argv)
{
	struct cli_opt_parser p;
	const char *v;
	char *end;
	size_t k;
	int id;

	cli_opt_init(&p, &cmd_audit_options, argc, argv);
	while ((id = cli_opt_next(&p)) != CLI_OPT_DONE) {
		v = p.value;
		switch (id) {
		case OPT_LIST:
			o->lists[o->nlists++] = v;
			break;
		case OPT_FORMAT:
			o->format = v;
			break;
		case OPT_OUTPUT:
			o->output = v;
			break;
		case OPT_JOBS: {
			long n;

			errno = 0;
			n = strtol(v, &end, 10);
			if (*v == '\0' || *end || errno || n < 1 || n > 1024)
				return cmd_fail(EMB_EXIT_CONFIG,
						"bad --jobs '%s': expected a "
						"number from 1 to 1024",
						v);
			o->jobs = (unsigned)n;
			break;
		}
		case OPT_SHARD:
			o->shard = v;
			break;
		case OPT_CACHE:
			o->cache = v;
			break;
		case OPT_REFS:
			if (strcmp(v, "forge")) {
				o->refs[o->nrefs++] = v;
				break;
			}
			for (k = 0; emb_audit_forge_refs[k]; k++)
				o->refs[o->nrefs++] = emb_audit_forge_refs[k];
			break;
		case OPT_TIMEOUT: {
			double secs;

			errno = 0;
			secs = strtod(v, &end);
			if (*v == '\0' || *end || errno || !(secs > 0) ||
			    secs > 1e7)
				return cmd_fail(EMB_EXIT_CONFIG,
						"bad --timeout '%s': expected "
						"seconds above 0",
						v);
			o->timeout_ms = (int64_t)(secs * 1000.0);
			if (!o->timeout_ms)
				o->timeout_ms = 1;
			break;
		}
		case OPT_PUBLIC:
		case OPT_PRIVATE:
			o->vis[o->nvis].glob = (char *)v;
			o->vis[o->nvis++].public = id == OPT_PUBLIC;
			break;
		case OPT_ORG_DEFAULT:
			o->org_default = v;
			break;
		case OPT_TEMPLATE:
			o->template_path = v;
			break;
		case OPT_TITLE:
			o->title = v;
			break;
		case OPT_BASELINE:
			o->baseline = v;
			break;
		case OPT_IGNORE:
			o->ignore = v;
			break;
		case OPT_ONLY_NEW:
			o->only_new = true;
			break;
		case OPT_NO_DIFFS:
			o->diffs = false;
			break;
		case OPT_STRICT:
			o->strict = true;
			break;
		case OPT_REDACT:
			o->redact = true;
			break;
		case OPT_QUIET:
			o->quiet = true;
			break;
		case OPT_MERGE:
			o->merge = true;
			break;
		case CLI_OPT_HELP:
			cli_opt_help(stdout, &cmd_audit_options);
			fputs("\nExit status: 0 clean, 1 a leak or a policy "
			      "error, 2 usage or configuration error,\n3 (no "
			      "leak and no policy error) some repositories "
			      "could not be audited in full.\n",
			      stdout);
			return EMB_EXIT_OK;
		case CLI_OPT_ARG:
			o->sources[o->nsources++] = v;
			break;
		default:
			return EMB_EXIT_CONFIG;
		}
	}
	return -1;
}

/* Write to FILE.tmp-PID and rename when complete: a report that others
 * read is never seen half-written. */
static FILE *open_output(const char *path, char **tmp)
{
	struct emb_buf b = EMB_BUF_INIT;
	FILE *f;

	*tmp = NULL;
	if (!path || !strcmp(path, "-"))
		return stdout;
	emb_buf_printf(&b, "%s.tmp-%ld", path, (long)getpid());
	f = fopen(b.ptr, "w");
	if (!f) {
		emb_error_set("cannot write '%s': %s", b.ptr, strerror(errno));
		emb_buf_release(&b);
		return NULL;
	}
	*tmp = emb_buf_detach(&b);
	return f;
}

static int close_output(FILE *f, char *tmp, const char *path, bool ok)
{
	int error = 0;

	if (f == stdout || !f)
		return 0;
	if (fclose(f) != 0)
		ok = false;
	if (ok && rename(tmp, path) < 0) {
		emb_error_set("cannot write '%s': %s", path, strerror(errno));
		error = EMB_ERROR;
	}
	if (!ok || error)
		unlink(tmp);
	free(tmp);
	return error;
}

/* The suppressions file: --ignore, else embargo.auditIgnore (conf may be
 * NULL), else ./.embargo-audit-ignore when there is one. */
static int load_ignore(struct run_state *st, const struct options *o,
		       const char *setting, emb_date today)
{
	const char *path = o->ignore && strcmp(o->ignore, DEFAULT_IGNORE) ?
				   o->ignore :
			   setting ? setting :
				     o->ignore;

	if (!path)
		return 0;
	return emb_audit_suppressions_load(&st->ignore, path, today);
}

static int run_merge(struct options *o, enum emb_audit_format format,
		     struct emb_audit_sink_opts *so, const struct week *week)
{
	struct run_state st = { NULL,	   week->baseline, NULL, week->only_new,
				o->redact, false,	   0 };
	struct emb_audit_merge_info info;
	struct emb_audit_sink *sink = NULL;
	char *tmp = NULL;
	FILE *out = NULL;
	size_t i;
	bool reread = true;
	int error, status;

	if (!o->nsources)
		return cmd_fail(EMB_EXIT_CONFIG,
				"--merge needs the JSON files of the shards");
	if ((error = load_ignore(&st, o, NULL, so->today)) < 0)
		return cmd_fail_error(error);
	for (i = 0; i < o->nsources; i++)
		reread &= strcmp(o->sources[i], "-") != 0;
	/* a first pass checks the parts (empty, cut short, of another run,
	 * a shard missing) before any output, and finds the widest name
	 * for text; standard input cannot be read twice: then the parts
	 * are checked as they are merged and names get a fixed width */
	so->name_width = 40;
	if (reread) {
		if ((error = emb_audit_merge(o->sources, o->nsources,
					     measure_row, &st, &info)) < 0) {
			emb_audit_suppressions_free(st.ignore);
			return cmd_fail_error(error);
		}
		so->name_width = st.width;
		so->sources = info.sources;
	}
	if (!(out = open_output(o->output, &tmp))) {
		emb_audit_suppressions_free(st.ignore);
		return cmd_fail_error(EMB_EUSAGE);
	}
	if ((error = emb_audit_sink_new(&sink, format, out, so)) < 0) {
		close_output(out, tmp, o->output, false);
		emb_audit_suppressions_free(st.ignore);
		return cmd_fail_error(error);
	}
	st.sink = sink;
	error = emb_audit_merge(o->sources, o->nsources, emit_row, &st, &info);
	/* the merged report is the whole run: shard 1/1 of its sources */
	if (!error)
		emb_audit_sink_set_sources(sink, info.sources);
	if (!error)
		error = emb_audit_sink_finish(sink);
	if (close_output(out, tmp, o->output, !error) < 0 && !error)
		error = EMB_ERROR;
	emb_audit_suppressions_free(st.ignore);
	if (error < 0) {
		emb_audit_sink_free(sink);
		return cmd_fail_error(error);
	}
	if (info.duplicates && !o->quiet)
		fprintf(stderr,
			"git-embargo: %zu repositor%s present in more than one "
			"part: kept once (were shards run twice?)\n",
			info.duplicates, info.duplicates == 1 ? "y" : "ies");
	status = emb_audit_summary_exit(emb_audit_sink_summary(sink));
	emb_audit_sink_free(sink);
	return status;
}

static int run_audit(struct options *o, enum emb_audit_format format,
		     struct emb_audit_sink_opts *so, const struct week *week)
{
	struct emb_audit_sources sources = EMB_AUDIT_SOURCES_INIT;
	struct emb_audit_opts ao;
	struct run_state st = { NULL,  week->baseline, NULL, week->only_new,
				false, false,	       0 };
	struct emb_audit_sink *sink = NULL;
	struct emb_session s;
	bool session = false;
	char *cache = NULL, *tmp = NULL;
	char digest[EMB_AUDIT_DIGEST_SIZE];
	unsigned shard_i = 1, shard_n = 1;
	FILE *out = NULL;
	size_t i, width = 0;
	int error = 0, status;

	if (!o->nsources) {
		status = cmd_fail(EMB_EXIT_CONFIG,
				  "nothing to audit: name "
				  "folders, URLs or @FILE lists\n%s",
				  usage_text);
		goto out;
	}
	if (o->shard &&
	    (error = emb_audit_parse_shard(&shard_i, &shard_n, o->shard)) < 0)
		goto fail;
	if (o->template_path && access(o->template_path, R_OK) < 0) {
		status = cmd_fail(EMB_EXIT_CONFIG,
				  "cannot read template '%s': "
				  "%s",
				  o->template_path, strerror(errno));
		goto out;
	}
	if ((error = emb_session_init(&s, NULL, o->lists, o->nlists, NULL,
				      NULL)) < 0) {
		session = true;
		goto fail;
	}
	session = true;
	if ((error = load_ignore(&st, o, s.conf.audit_ignore, s.today)) < 0)
		goto fail;

	for (i = 0; i < o->nsources; i++)
		if ((error = emb_audit_sources_add(&sources, o->sources[i])) <
		    0)
			goto fail;
	emb_audit_sources_finish(&sources);
	emb_audit_sources_digest(digest, &sources);
	so->sources = digest;
	so->shard = shard_i;
	so->shards = shard_n;

	for (i = 0; i < sources.n; i++)
		if ((!o->shard || emb_audit_shard_of(sources.v[i].name,
						     shard_n) == shard_i) &&
		    strlen(sources.v[i].name) > width)
			width = strlen(sources.v[i].name);
	so->name_width = width;
	so->today = s.today;

	if ((error = emb_audit_cache_dir(&cache, o->cache)) < 0)
		goto fail;
	if (!(out = open_output(o->output, &tmp))) {
		error = EMB_EUSAGE;
		goto fail;
	}
	if ((error = emb_audit_sink_new(&sink, format, out, so)) < 0)
		goto fail;
	st.sink = sink;

	memset(&ao, 0, sizeof(ao));
	ao.matcher = s.matcher;
	ao.today = s.today;
	ao.jobs = o->jobs;
	ao.cache = cache;
	ao.refs = o->refs;
	ao.nrefs = o->nrefs;
	ao.diffs = o->diffs;
	ao.timeout_ms = o->timeout_ms;
	/* as the hooks: "expired" is a limit already past, so that a test of
	 * running out of time never races the clock */
	if (o->timeout_ms && getenv("GIT_EMBARGO_TIMEOUT_MS") &&
	    !strcmp(getenv("GIT_EMBARGO_TIMEOUT_MS"), "expired"))
		ao.timeout_ms = -1;
	ao.max_blob_size = s.conf.max_blob_size;
	ao.redact = o->redact;
	ao.strict = o->strict;
	ao.visibility = o->vis;
	ao.nvisibility = o->nvis;
	ao.shard = o->shard ? shard_i : 0;
	ao.shards = o->shard ? shard_n : 0;
	ao.org_default = o->org_default;
	ao.template_path = o->template_path;
	ao.emit = emit_row;
	ao.progress = !o->quiet && isatty(STDERR_FILENO) ? show_progress : NULL;
	ao.payload = &st;

	if ((error = emb_audit_run(&sources, &ao)) < 0 ||
	    (error = emb_audit_sink_finish(sink)) < 0)
		goto fail;
	if (st.progress_shown)
		fputs("\r\033[K", stderr);
	error = close_output(out, tmp, o->output, true);
	out = NULL;
	tmp = NULL; /* freed by close_output() */
	if (error < 0)
		goto fail;
	status = emb_audit_summary_exit(emb_audit_sink_summary(sink));
	if (!o->quiet && format != EMB_AUDIT_TEXT)
		say_unaudited(emb_audit_sink_summary(sink));
	goto out;

fail:
	if (st.progress_shown)
		fputs("\r\033[K", stderr);
	status = cmd_fail_error(error);
	if (out) {
		close_output(out, tmp, o->output, false);
		tmp = NULL;
	}
out:
	emb_audit_sink_free(sink);
	emb_audit_suppressions_free(st.ignore);
	free(cache);
	free(tmp);
	emb_audit_sources_release(&sources);
	if (session)
		emb_session_release(&s);
	return status;
}

int cmd_audit(int argc, char **argv)
{
	struct options o;
	struct emb_audit_sink_opts so;
	struct week week = { NULL, false };
	enum emb_audit_format format;
	size_t n = (size_t)argc + 1;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int status;

	memset(&o, 0, sizeof(o));
	o.lists = emb_xcalloc(n, sizeof(*o.lists));
	o.sources = emb_xcalloc(n, sizeof(*o.sources));
	o.refs = emb_xcalloc(n + 4 * n, sizeof(*o.refs));
	o.vis = emb_xcalloc(n, sizeof(*o.vis));
	o.format = "text";
	o.diffs = true;
	o.jobs = cpus < 1 ? 1 : cpus > 64 ? 64 : (unsigned)cpus;

	if ((status = parse(&o, argc, argv)) >= 0)
		goto out;
	if (emb_audit_parse_format(&format, o.format) < 0) {
		status = cmd_fail_error(EMB_EUSAGE);
		goto out;
	}
	memset(&so, 0, sizeof(so));
	so.title = o.title;
	if (emb_date_today(&so.today) < 0) {
		status = cmd_fail_error(EMB_ECONFIG);
		goto out;
	}
	/* jansson seeds its object hash on first use: do it here, before
	 * the worker threads make objects */
	json_object_seed(0);
	if (o.only_new && !o.baseline) {
		status = cmd_fail(EMB_EXIT_CONFIG,
				  "--only-new needs --baseline FILE");
		goto out;
	}
	if (o.baseline &&
	    emb_audit_baseline_load(&week.baseline, o.baseline) < 0) {
		status = cmd_fail_error(EMB_EUSAGE);
		goto out;
	}
	if (!o.ignore && access(DEFAULT_IGNORE, F_OK) == 0)
		o.ignore = DEFAULT_IGNORE;
	week.only_new = o.only_new;
	status = o.merge ? run_merge(&o, format, &so, &week) :
			   run_audit(&o, format, &so, &week);
out:
	emb_audit_baseline_free(week.baseline);
	free(o.lists);
	free(o.sources);
	free(o.refs);
	free(o.vis);
	return status;
}
