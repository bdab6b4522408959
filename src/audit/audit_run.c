/*
 * audit_run.c - auditing repositories: one repository per worker thread,
 * rows handed back in source order.
 *
 * Each worker takes the next source, opens (or mirrors) it with its own
 * git_repository, runs the policy check on HEAD and the scan over its
 * branches and tags with one thread (parallelism is across
 * repositories: two threads in one repository gave only 1.37x), and
 * stores the finished row in a window of slots indexed by source number.
 * The calling thread passes rows on in order as soon as the next one is
 * in, so the output is the same whatever the number of workers.  A
 * worker does not start a source more than WINDOW places ahead of the
 * oldest row not yet passed on: a slow repository holds back at most
 * WINDOW finished rows, which bounds memory however many repositories
 * there are.
 */
#include <fnmatch.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <git2.h>

#include "embargo/audit.h"
#include "embargo/buf.h"
#include "embargo/config.h"
#include "embargo/error.h"
#include "embargo/oidset.h"
#include "embargo/policy.h"
#include "embargo/repo.h"
#include "embargo/report.h"
#include "embargo/scan.h"
#include "embargo/walk.h"
#include "embargo/utf8.h"

#define MIN_WINDOW 256

static const char *const default_refs[] = { "refs/heads/*", "refs/tags/*" };

const char *const emb_audit_forge_refs[] = { "refs/heads/*", "refs/tags/*",
					     "refs/pull/*",
					     "refs/merge-requests/*", NULL };

bool emb_audit_is_public(const char *name, const struct emb_audit_visibility *v,
			 size_t n)
{
	bool pub = true; /* unknown means public */
	size_t i;

	for (i = 0; i < n; i++)
		if (!fnmatch(v[i].glob, name, 0))
			pub = v[i].public;
	return pub;
}

/* A JSON string of any bytes (invalid UTF-8 shown as U+FFFD). */
static json_t *text(const char *s)
{
	json_t *v = json_string(s);
	char *valid;

	if (v)
		return v;
	valid = emb_utf8_cleanz(s);
	v = json_string(valid);
	free(valid);
	return v;
}

static json_t *new_row(const char *name, bool pub)
{
	json_t *row = json_pack("{s:s, s:o, s:s, s:b, s:n, s:[], s:n, s:n, "
				"s:[]}",
				"type", "repository", "repository", text(name),
				"verdict", "ok", "public", pub, "policy",
				"findings", "error", "incomplete", "notes");

	if (!row) {
		/* only an allocation can fail here: fail as emb_xmalloc() */
		fputs("git-embargo: out of memory\n", stderr);
		abort();
	}
	return row;
}

static void set_error(json_t *row, const char *fallback)
{
	const char *msg = emb_error_last();

	if (json_is_null(json_object_get(row, "error")))
		json_object_set_new(row, "error", text(*msg ? msg : fallback));
}

/* A failure after the repository was opened: what was found stays in the
 * row, the first reason is kept. */
static void set_incomplete(json_t *row, const char *what)
{
	const char *msg = emb_error_last();
	struct emb_buf b = EMB_BUF_INIT;

	if (!json_is_null(json_object_get(row, "incomplete")))
		return;
	emb_buf_puts(&b, what);
	if (*msg)
		emb_buf_printf(&b, ": %s", msg);
	json_object_set_new(row, "incomplete", text(b.ptr));
	emb_buf_release(&b);
}

static void add_note(json_t *row, const char *fmt, unsigned long long n,
		     const char *what)
{
	struct emb_buf b = EMB_BUF_INIT;

	emb_buf_printf(&b, fmt, n, n == 1 ? "" : "s", what);
	json_array_append_new(json_object_get(row, "notes"), text(b.ptr));
	emb_buf_release(&b);
}

static json_t *text_date(int64_t seconds)
{
	char day[16];

	emb_date_format(day, sizeof(day), emb_date_from_time(seconds));
	return json_string(day);
}

/* embargo.public in the repository's config, when it is set. */
static void config_visibility(json_t *row, git_repository *repo)
{
	git_config *cfg = NULL;
	enum emb_config_public value;

	if (git_repository_config_snapshot(&cfg, repo) == 0 &&
	    emb_config_public(&value, cfg) == 0 && value != EMB_PUBLIC_UNSET)
		json_object_set_new(row, "public",
				    json_boolean(value == EMB_PUBLIC_YES));
	git_config_free(cfg);
	git_error_clear();
}

static int open_source(git_repository **repo, char **mirror,
		       const struct emb_audit_source *src,
		       const struct emb_audit_opts *opts)
{
	const char *path = src->path;
	int error;

	*repo = NULL;
	*mirror = NULL;
	if (src->url) {
		if (!opts->cache) {
			emb_error_set("no cache folder for URL sources");
			return EMB_EREPO;
		}
		if ((error = emb_audit_mirror(mirror, NULL, opts->cache,
					      src->url)) < 0)
			return error;
		path = *mirror;
	}
	/* NO_SEARCH: a folder that is not a repository must not resolve to
	 * an enclosing one */
	return emb_repo_open(repo, path, EMB_REPO_OPEN_NO_SEARCH);
}

/* `s` with every `from` replaced by `to` (a new string). */
static char *replace_all(const char *s, const char *from, const char *to)
{
	struct emb_buf b = EMB_BUF_INIT;
	size_t n = strlen(from);
	const char *hit;

	while ((hit = strstr(s, from))) {
		emb_buf_put(&b, s, (size_t)(hit - s));
		emb_buf_puts(&b, to);
		s = hit + n;
	}
	emb_buf_puts(&b, s);
	return emb_buf_detach(&b);
}

static void rename_in(json_t *obj, const char *key, const char *from,
		      const char *to)
{
	const char *v = json_string_value(json_object_get(obj, key));
	char *renamed;

	if (!v || !strstr(v, from))
		return;
	renamed = replace_all(v, from, to);
	json_object_set_new(obj, key, json_string(renamed));
	free(renamed);
}

/*
 * The policy check names the organisation default by the path it read it
 * from; for a URL source that is a mirror in the cache, which means
 * nothing to the reader of a report: say the URL instead.
 */
static void name_org_default(json_t *policy, const struct emb_audit_org *org)
{
	json_t *p;
	size_t i;

	if (!org || !org->name || !strcmp(org->path, org->name))
		return;
	rename_in(policy, "path", org->path, org->name);
	json_array_foreach(json_object_get(policy, "problems"), i, p)
	{
		rename_in(p, "message", org->path, org->name);
		rename_in(p, "detail", org->path, org->name);
	}
}

/*
 * No commit at all: HEAD resolves to nothing and there is no branch or
 * tag.  (libgit2 1.5's git_repository_is_empty() only says so when HEAD
 * names the init.defaultBranch of the auditor's config.)
 */
static bool is_empty(git_repository *repo)
{
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	git_object *head = NULL;
	bool empty = true;

	if (git_revparse_single(&head, repo, "HEAD") == 0) {
		git_object_free(head);
		return false;
	}
	if (git_reference_iterator_new(&it, repo) == 0) {
		while (empty && git_reference_next(&ref, it) == 0) {
			const char *name = git_reference_name(ref);

			empty = strncmp(name, "refs/heads/", 11) &&
				strncmp(name, "refs/tags/", 10);
			git_reference_free(ref);
		}
		git_reference_iterator_free(it);
	}
	git_error_clear();
	return empty;
}

/*
 * The default branch to judge: HEAD, or when HEAD names a branch that
 * does not exist (a bare repository made with `git init --bare` and
 * pushed a `main`), the branch a forge would most likely show: main,
 * master, or the only one.
 * @param[out] rev NULL for HEAD, else a ref name to free
 */
static int default_branch(char **rev, git_repository *repo)
{
	static const char *const likely[] = { "refs/heads/main",
					      "refs/heads/master" };
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	git_object *head = NULL;
	char *only = NULL;
	size_t i, nbranches = 0;
	int error = 0;

	*rev = NULL;
	if (git_revparse_single(&head, repo, "HEAD") == 0) {
		git_object_free(head);
		return 0;
	}
	git_error_clear();
	for (i = 0; i < 2; i++)
		if (git_reference_lookup(&ref, repo, likely[i]) == 0) {
			git_reference_free(ref);
			*rev = emb_xstrdup(likely[i]);
			return 0;
		}
	if (git_reference_iterator_glob_new(&it, repo, "refs/heads/*") == 0) {
		while (git_reference_next(&ref, it) == 0) {
			if (!nbranches++)
				only = emb_xstrdup(git_reference_name(ref));
			git_reference_free(ref);
		}
		git_reference_iterator_free(it);
	}
	git_error_clear();
	if (nbranches == 1) {
		*rev = only;
		return 0;
	}
	free(only);
	emb_error_set("HEAD names no branch and there are %zu others: set "
		      "HEAD to the default branch ('git symbolic-ref HEAD "
		      "refs/heads/NAME')",
		      nbranches);
	error = EMB_EREPO;
	return error;
}

static int check_policy(json_t *row, git_repository *repo,
			const struct emb_audit_opts *opts,
			const struct emb_audit_org *org)
{
	json_t *policy;
	char *rev = NULL;
	struct emb_policy_opts po = EMB_POLICY_OPTS_INIT;
	struct emb_policy_result *res = NULL;
	int error;

	po.strict = opts->strict;
	po.org_default = org ? org->path : NULL;
	po.template_path = opts->template_path;
	po.siblings = opts->siblings;
	po.sibling_paths = opts->sibling_paths;
	po.today = opts->today;
	if ((error = default_branch(&rev, repo)) < 0)
		return error;
	po.rev = rev;
	error = emb_policy_check(&res, repo, &po);
	free(rev);
	if (error < 0)
		return error;
	policy = emb_policy_to_json(res, po.strict);
	name_org_default(policy, org);
	json_object_set_new(row, "policy", policy);
	emb_policy_result_free(res);
	return 0;
}

/* Refs in the order a reader cares about: branches, tags, the rest. */
static int ref_class(const char *name)
{
	if (!strncmp(name, "refs/heads/", 11))
		return 0;
	if (!strncmp(name, "refs/tags/", 10))
		return 1;
	return 2;
}

#define LOCATE_CHECKS 4000 /* reachability checks per repository */
#define LOCATE_NAMES 3	   /* refs named per finding */

/* Where a commit finding is, beside the finding record. */
struct place {
	bool dated;
	int64_t date;			/* the commit's time */
	const char *refs[LOCATE_NAMES]; /* borrowed from the range */
	size_t nrefs;
	int forge_only; /* 1 or 0; -1: not decided */
};

/*
 * Where each commit finding is: its commit date, a few of the scanned
 * refs that reach it (branches first), and whether only refs beyond
 * branches and tags do (a pull-request ref, which a force-push cannot
 * remove).  Bounded: past LOCATE_CHECKS checks the names are left out,
 * but "forge_only" is decided by one walk of the branches and tags.
 */
static void locate(struct place *out, const struct emb_findings *found,
		   git_repository *repo, const struct emb_range *range)
{
	git_oid *tips = emb_xcalloc(range->nrefs + 1, sizeof(*tips));
	int *cls = emb_xcalloc(range->nrefs + 1, sizeof(*cls));
	struct emb_oidset plain = EMB_OIDSET_INIT;
	bool forge = false, walked = false;
	size_t i, j, checks = 0;

	for (i = 0; i < range->nrefs; i++) {
		git_object *o = NULL, *c = NULL;

		cls[i] = -1;
		if (git_object_lookup(&o, repo, &range->refs[i].target,
				      GIT_OBJECT_ANY) == 0 &&
		    git_object_peel(&c, o, GIT_OBJECT_COMMIT) == 0) {
			git_oid_cpy(&tips[i], git_object_id(c));
			cls[i] = ref_class(range->refs[i].name);
			forge |= cls[i] == 2;
		}
		git_object_free(c);
		git_object_free(o);
	}
	if (forge && found->n) {
		git_revwalk *w = NULL;
		git_oid id;

		if (git_revwalk_new(&w, repo) == 0) {
			for (i = 0; i < range->nrefs; i++)
				if (cls[i] == 0 || cls[i] == 1)
					git_revwalk_push(w, &tips[i]);
			while (git_revwalk_next(&id, w) == 0)
				emb_oidset_add(&plain, &id);
			walked = true;
		}
		git_revwalk_free(w);
	}
	for (i = 0; i < found->n; i++) {
		const struct emb_finding *f = &found->v[i];
		struct place *pl = &out[i];
		git_object *o = NULL, *c = NULL;
		git_oid id;
		int pass;

		pl->forge_only = -1;
		if (!f->has_commit ||
		    git_object_lookup(&o, repo, &f->commit, GIT_OBJECT_ANY) <
			    0 ||
		    git_object_peel(&c, o, GIT_OBJECT_COMMIT) < 0) {
			git_object_free(o);
			continue;
		}
		pl->dated = true;
		pl->date = git_commit_time((git_commit *)c);
		git_oid_cpy(&id, git_object_id(c));
		for (pass = 0; pass < 3; pass++)
			for (j = 0;
			     j < range->nrefs && pl->nrefs < LOCATE_NAMES &&
			     checks < LOCATE_CHECKS;
			     j++) {
				if (cls[j] != pass)
					continue;
				checks++;
				if (git_oid_equal(&tips[j], &id) ||
				    git_graph_descendant_of(repo, &tips[j],
							    &id) == 1)
					pl->refs[pl->nrefs++] =
						range->refs[j].name;
			}
		if (walked)
			pl->forge_only = !emb_oidset_has(&plain, &id);
		git_object_free(c);
		git_object_free(o);
	}
	git_error_clear();
	emb_oidset_release(&plain);
	free(tips);
	free(cls);
}

/* The row's JSON of a finding and where it is: made once, when the
 * repository is done. */
static json_t *finding_json(const struct emb_finding *f, const struct place *pl)
{
	/* unredacted here: emb_audit_row_redact() needs the matched text
	 * to hide it in ref and file names too */
	json_t *o = emb_json_finding(f, false);
	size_t i;

	if (pl->dated)
		json_object_set_new(o, "date", text_date(pl->date));
	if (pl->nrefs) {
		json_t *names = json_array();

		for (i = 0; i < pl->nrefs; i++)
			json_array_append_new(names, text(pl->refs[i]));
		json_object_set_new(o, "refs", names);
	}
	if (pl->forge_only >= 0)
		json_object_set_new(o, "forge_only",
				    json_boolean(pl->forge_only));
	return o;
}

static int scan(json_t *row, git_repository *repo,
		const struct emb_audit_opts *opts)
{
	struct emb_scan_opts so = EMB_SCAN_OPTS_INIT;
	struct emb_scan_stats stats = { 0 };
	struct emb_range range = EMB_RANGE_INIT;
	struct emb_findings found = EMB_FINDINGS_INIT;
	const char *const *globs = opts->nrefs ? opts->refs : default_refs;
	size_t nglobs = opts->nrefs ? opts->nrefs : 2, i;
	json_t *arr = json_object_get(row, "findings");
	struct place *places;
	int error = 0;

	so.diffs = opts->diffs;
	so.threads = 1;
	if (opts->timeout_ms)
		so.deadline_ms = opts->timeout_ms < 0 ?
					 1 /* already past: tests */
					 :
					 emb_clock_ms() + opts->timeout_ms;
	if (opts->max_blob_size)
		so.max_blob_size = opts->max_blob_size;
	for (i = 0; i < nglobs && !error; i++)
		error = emb_range_add_refs(&range, repo, globs[i], false);
	if (!error && range.npush)
		error = emb_scan_range(repo, opts->matcher, &range, &so, &found,
				       &stats);
	/* after a failure, what was found before it */
	places = emb_xcalloc(found.n + 1, sizeof(*places));
	locate(places, &found, repo, &range);
	for (i = 0; i < found.n; i++)
		json_array_append_new(arr,
				      finding_json(&found.v[i], &places[i]));
	free(places);
	if (stats.blobs_missing)
		add_note(row, "%llu blob%s %s", stats.blobs_missing,
			 "not in this partial clone: not scanned");
	if (stats.blobs_large)
		add_note(row, "%llu blob%s %s", stats.blobs_large,
			 "over embargo.maxBlobSize: not scanned");
	emb_findings_release(&found);
	emb_range_release(&range);
	return error;
}

json_t *emb_audit_one(const struct emb_audit_source *src,
		      const struct emb_audit_opts *opts,
		      const struct emb_audit_org *org)
{
	json_t *row = new_row(src->name,
			      emb_audit_is_public(src->name, opts->visibility,
						  opts->nvisibility));
	git_repository *repo = NULL;
	char *mirror = NULL;

	emb_error_clear();
	git_error_clear();
	if (src->error) {
		json_object_set_new(row, "error", text(src->error));
		return row;
	}
	if (open_source(&repo, &mirror, src, opts) < 0) {
		set_error(row, "cannot open repository");
		goto done;
	}
	config_visibility(row, repo);
	if (is_empty(repo)) {
		/* no commit at all: nothing public, nothing to judge; the
		 * row says so with neither a policy nor an error */
		git_error_clear();
		goto done;
	}
	/* a failed policy check still leaves the scan worth doing, and a
	 * failed scan keeps what it found and the policy verdict */
	if (check_policy(row, repo, opts, org) < 0)
		set_incomplete(row, "cannot check SECURITY.md");
	emb_error_clear();
	if (git_repository_is_shallow(repo) == 1) {
		/* what was scanned is in the row; it is not everything */
		emb_error_set("the repository is shallow ('git fetch "
			      "--unshallow' first)");
		set_incomplete(row, "history is incomplete");
		emb_error_clear();
	}
	if (scan(row, repo, opts) < 0)
		set_incomplete(row, "cannot scan history");
	if (opts->redact)
		emb_audit_row_redact(row);
done:
	emb_audit_row_set_verdict(row);
	git_repository_free(repo);
	free(mirror);
	return row;
}

/* ---- organisation defaults --------------------------------------------- */

/* The folder or URL prefix a `.github` source speaks for, or NULL. */
static char *org_prefix(const char *name)
{
	const char *end = name + strlen(name), *base;
	size_t len;

	while (end > name && end[-1] == '/')
		end--;
	for (base = end; base > name && !strchr("/:", base[-1]); base--)
		;
	len = (size_t)(end - base);
	if (!((len == 7 && !strncmp(base, ".github", 7)) ||
	      (len == 11 && !strncmp(base, ".github.git", 11))))
		return NULL;
	if (base == name)
		return emb_xstrdup(""); /* ".github" in the current folder */
	return emb_xstrndup(name, (size_t)(base - name - 1));
}

struct org_default {
	char *prefix; /* "" matches relative names in the current folder */
	struct emb_audit_org org; /* path NULL when unusable */
};

static bool under(const char *name, const char *prefix)
{
	size_t n = strlen(prefix);

	if (!n)
		return !strchr(name, '/') && !emb_audit_is_url(name);
	return !strncmp(name, prefix, n) && (name[n] == '/' || name[n] == ':');
}

static const struct emb_audit_org *org_default_for(const struct org_default *d,
						   size_t n, const char *name)
{
	const struct emb_audit_org *best = NULL;
	size_t i, best_len = 0;

	for (i = 0; i < n; i++) {
		size_t len = strlen(d[i].prefix);

		if (d[i].org.path && under(name, d[i].prefix) &&
		    (!best || len > best_len)) {
			best = &d[i].org;
			best_len = len;
		}
	}
	return best;
}

static char *local_path_of(const struct emb_audit_source *src,
			   const struct emb_audit_opts *opts)
{
	char *mirror = NULL;

	if (src->error)
		return NULL;
	if (!src->url)
		return emb_xstrdup(src->path);
	if (!opts->cache ||
	    emb_audit_mirror(&mirror, NULL, opts->cache, src->url) < 0)
		return NULL; /* its own row will say why */
	return mirror;
}

/* ---- siblings ----------------------------------------------------------- */

/* "owner/repo" for a URL, the folder name for a folder: what a link from
 * one SECURITY.md into another audited repository names */
static char *short_name(const char *name)
{
	const char *end = name + strlen(name), *base, *owner;

	while (end > name && end[-1] == '/')
		end--;
	if (end - name > 4 && !strncmp(end - 4, ".git", 4))
		end -= 4;
	for (base = end; base > name && !strchr("/:", base[-1]); base--)
		;
	if (!emb_audit_is_url(name) || base == name)
		return emb_xstrndup(base, (size_t)(end - base));
	for (owner = base - 1; owner > name && !strchr("/:", owner[-1]);
	     owner--)
		;
	return emb_xstrndup(owner, (size_t)(end - owner));
}

/*
 * Every source, whichever shard it is in, with where it can be read on
 * this machine: its folder, or its mirror when that exists already (a
 * mirror of another shard's repository may not be here: then links into
 * it are not judged rather than judged dead).
 */
static void make_siblings(char ***names, char ***paths,
			  const struct emb_audit_sources *sources,
			  const struct emb_audit_opts *opts)
{
	size_t i;

	*names = emb_xcalloc(sources->n + 1, sizeof(**names));
	*paths = emb_xcalloc(sources->n + 1, sizeof(**paths));
	for (i = 0; i < sources->n; i++) {
		const struct emb_audit_source *src = &sources->v[i];
		struct stat st;

		(*names)[i] = short_name(src->name);
		if (src->error)
			continue;
		if (!src->url)
			(*paths)[i] = emb_xstrdup(src->path);
		else if (opts->cache) {
			char *m = emb_audit_mirror_path(opts->cache, src->url);

			if (stat(m, &st) == 0)
				(*paths)[i] = m;
			else
				free(m);
		}
	}
}

static void free_strings(char **v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

/* ---- the pool ---------------------------------------------------------- */

struct pool {
	const struct emb_audit_sources *sources;
	const size_t *todo; /* indexes of the sources to audit */
	size_t ntodo;
	const struct emb_audit_opts *opts;
	const struct org_default *defaults;
	size_t ndefaults;
	const struct emb_audit_org *forced_default;

	pthread_mutex_t mu;
	pthread_cond_t ready; /* a row came in */
	pthread_cond_t space; /* the window moved */
	size_t next;	      /* next source to start */
	size_t emitted;	      /* rows passed on */
	size_t window;
	json_t **slots; /* [i % window], NULL until done */
	size_t done;
	size_t current; /* the source started last */
	bool stop;
};

static void *worker_main(void *arg)
{
	struct pool *p = arg;

	for (;;) {
		const struct emb_audit_source *src;
		const struct emb_audit_org *od;
		size_t i;
		json_t *row;

		pthread_mutex_lock(&p->mu);
		while (!p->stop && p->next < p->ntodo &&
		       p->next >= p->emitted + p->window)
			pthread_cond_wait(&p->space, &p->mu);
		if (p->stop || p->next >= p->ntodo) {
			pthread_mutex_unlock(&p->mu);
			break;
		}
		i = p->next++;
		p->current = i;
		pthread_mutex_unlock(&p->mu);

		src = &p->sources->v[p->todo[i]];
		od = p->forced_default ?
			     p->forced_default :
			     org_default_for(p->defaults, p->ndefaults,
					     src->name);
		row = emb_audit_one(src, p->opts, od);

		pthread_mutex_lock(&p->mu);
		p->slots[i % p->window] = row;
		p->done++;
		pthread_cond_signal(&p->ready);
		pthread_mutex_unlock(&p->mu);
	}
	return NULL;
}

static void report_progress(struct pool *p, int64_t start)
{
	struct emb_audit_progress pr;

	if (!p->opts->progress)
		return;
	pthread_mutex_lock(&p->mu);
	pr.done = p->emitted;
	pr.total = p->ntodo;
	pr.current = p->next ? p->sources->v[p->todo[p->current]].name : "";
	pthread_mutex_unlock(&p->mu);
	pr.elapsed_ms = emb_clock_ms() - start;
	p->opts->progress(p->opts->payload, &pr);
}

static void wait_a_moment(struct pool *p)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 250 * 1000 * 1000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_cond_timedwait(&p->ready, &p->mu, &ts);
}

int emb_audit_run(const struct emb_audit_sources *sources,
		  const struct emb_audit_opts *given)
{
	struct emb_audit_opts local = *given, *opts = &local;
	char **sib_names = NULL, **sib_paths = NULL;
	struct pool p;
	struct org_default *defaults = NULL;
	struct emb_audit_org forced = { NULL, NULL };
	pthread_t *threads = NULL;
	size_t *todo = emb_xcalloc(sources->n + 1, sizeof(*todo)), ntodo = 0;
	unsigned jobs = opts->jobs ? opts->jobs : 1, t, started = 0;
	size_t i, ndefaults = 0;
	int64_t start = emb_clock_ms(), last = 0;
	int error = 0;

	/* organisation defaults are settled before any worker needs one */
	if (opts->org_default) {
		struct emb_audit_source src = { NULL, NULL, NULL, NULL };

		src.path = (char *)opts->org_default;
		if (emb_audit_is_url(opts->org_default)) {
			src.path = NULL;
			src.url = (char *)opts->org_default;
		}
		if (!src.url) {
			git_repository *repo = NULL;
			struct stat st;

			/* a SECURITY.md file, or a repository holding one */
			if (stat(src.path, &st) < 0 ||
			    (!S_ISREG(st.st_mode) &&
			     emb_repo_open(&repo, src.path,
					   EMB_REPO_OPEN_NO_SEARCH) < 0)) {
				emb_error_set("cannot use organisation default "
					      "'%s': not a file or a git "
					      "repository",
					      src.path);
				free(todo);
				return EMB_ECONFIG;
			}
			git_repository_free(repo);
		}
		if (!(forced.path = local_path_of(&src, opts))) {
			struct emb_buf msg = EMB_BUF_INIT;

			emb_buf_puts(&msg, emb_error_last());
			emb_error_set("cannot use organisation default '%s': "
				      "%s",
				      opts->org_default, msg.ptr);
			emb_buf_release(&msg);
			free(todo);
			return EMB_EREPO;
		}
		forced.name = src.url ? emb_audit_url_display(src.url) :
					emb_xstrdup(src.path);
	} else {
		defaults = emb_xcalloc(sources->n + 1, sizeof(*defaults));
		for (i = 0; i < sources->n; i++) {
			char *prefix = org_prefix(sources->v[i].name);

			if (!prefix)
				continue;
			defaults[ndefaults].prefix = prefix;
			defaults[ndefaults].org.path =
				local_path_of(&sources->v[i], opts);
			defaults[ndefaults].org.name =
				emb_xstrdup(sources->v[i].name);
			ndefaults++;
		}
	}

	if (!opts->siblings) {
		make_siblings(&sib_names, &sib_paths, sources, opts);
		opts->siblings = (const char *const *)sib_names;
		opts->sibling_paths = (const char *const *)sib_paths;
	}
	for (i = 0; i < sources->n; i++)
		if (!opts->shards ||
		    emb_audit_shard_of(sources->v[i].name, opts->shards) ==
			    opts->shard)
			todo[ntodo++] = i;

	memset(&p, 0, sizeof(p));
	p.sources = sources;
	p.todo = todo;
	p.ntodo = ntodo;
	p.opts = opts;
	p.defaults = defaults;
	p.ndefaults = ndefaults;
	p.forced_default = forced.path ? &forced : NULL;
	p.window = opts->window			  ? opts->window :
		   MIN_WINDOW > 16 * (size_t)jobs ? MIN_WINDOW :
						    16 * (size_t)jobs;
	p.slots = emb_xcalloc(p.window, sizeof(*p.slots));
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.ready, NULL);
	pthread_cond_init(&p.space, NULL);

	if (jobs > ntodo)
		jobs = ntodo ? (unsigned)ntodo : 1;
	threads = emb_xcalloc(jobs, sizeof(*threads));
	for (t = 0; t < jobs; t++) {
		if (pthread_create(&threads[t], NULL, worker_main, &p) != 0)
			break;
		started++;
	}
	if (!started && ntodo) {
		emb_error_set("cannot start a worker thread");
		error = EMB_ERROR;
		goto done;
	}

	pthread_mutex_lock(&p.mu);
	while (p.emitted < ntodo) {
		json_t *row = p.slots[p.emitted % p.window];
		int64_t now;

		if (!row) {
			wait_a_moment(&p);
		} else {
			p.slots[p.emitted % p.window] = NULL;
			p.emitted++;
			pthread_cond_broadcast(&p.space);
			pthread_mutex_unlock(&p.mu);
			error = opts->emit(opts->payload, row);
			json_decref(row);
			pthread_mutex_lock(&p.mu);
			if (error < 0) {
				p.stop = true;
				pthread_cond_broadcast(&p.space);
				break;
			}
		}
		now = emb_clock_ms();
		if (now - last >= 200 || p.emitted == ntodo) {
			pthread_mutex_unlock(&p.mu);
			report_progress(&p, start);
			last = now;
			pthread_mutex_lock(&p.mu);
		}
	}
	pthread_mutex_unlock(&p.mu);

done:
	for (t = 0; t < started; t++)
		pthread_join(threads[t], NULL);
	for (i = 0; i < p.window; i++)
		json_decref(p.slots[i]);
	free(p.slots);
	free(threads);
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.ready);
	pthread_cond_destroy(&p.space);
	for (i = 0; i < ndefaults; i++) {
		free(defaults[i].prefix);
		free(defaults[i].org.path);
		free(defaults[i].org.name);
	}
	free(defaults);
	free(forced.path);
	free(forced.name);
	free(todo);
	free_strings(sib_names, sources->n);
	free_strings(sib_paths, sources->n);
	return error;
}
