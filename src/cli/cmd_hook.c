/*
 * cmd_hook.c - `git embargo hook pre-push|pre-receive|update`: the
 * hooks themselves, run by the scripts `git embargo install` writes.
 *
 * pre-push runs on the developer's machine and stops a push to a
 * public remote; pre-receive and update run on the server, where they
 * cannot be bypassed, and reject.  Every hook is silent when the push
 * is allowed.  On the server any failure to check rejects the push
 * (fail closed): a broken list, an unreadable object, a deadline.  What
 * a push publishes is decided in the library (push.h); this file reads
 * the hook's input and settings and turns the result into messages and
 * an exit status.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "embargo/buf.h"
#include "embargo/config.h"
#include "embargo/error.h"
#include "embargo/override.h"
#include "embargo/policy.h"
#include "embargo/policy_require.h"
#include "embargo/push.h"
#include "embargo/reach.h"
#include "embargo/refupdate.h"
#include "embargo/remote.h"
#include "embargo/repo.h"
#include "embargo/report.h"
#include "embargo/session.h"
#include "opt.h"

static const char usage_text[] =
	"usage: git embargo hook [--verbose] pre-push <remote> <url>\n"
	"   or: git embargo hook [--verbose] pre-receive\n"
	"   or: git embargo hook [--verbose] update <ref> <old> <new>";

enum { OPT_VERBOSE = 1 };

static const struct cli_opt options[] = {
	{ OPT_VERBOSE, "verbose", 'v', CLI_OPT_SWITCH, NULL,
	  "say what was checked and how long it took", 0 },
	{ 0 },
};

/* the options come before the hook's name; what follows is git's */
const struct cli_opt_cmd cmd_hook_options = {
	.name = "hook",
	.usage = usage_text,
	.opts = options,
	.stop_at_arg = true,
};

struct hook_run {
	const char *name; /* "pre-push", ... */
	bool server;
	bool verbose;
	int64_t start;
	int64_t t_open, t_list; /* --verbose: when each step ended */
	git_repository *repo;
	git_odb *odb;	 /* when needed */
	git_config *cfg; /* snapshot */
	struct emb_session s;
	bool session;
	bool list_failed; /* the list or its settings could not be read */
	struct emb_refupdates updates;
	struct emb_push_result result;
};

/* How a developer gets an override past their own pre-push hook. */
static const char override_how[] =
	"git push --no-verify -o embargo.override=\"<identifier>: <reason>\"";

static int read_stdin(struct emb_buf *out)
{
	char chunk[8192];
	size_t n;

	while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
		emb_buf_put(out, chunk, n);
	if (ferror(stdin)) {
		emb_error_set("cannot read the hook's input: %s",
			      strerror(errno));
		return EMB_EUSAGE;
	}
	return 0;
}

/*
 * embargo.revealIds: may a server show pushers the list's side of a
 * finding or of a broken setup?  A bad value reveals nothing.
 */
static bool reveal_ids(const struct hook_run *h)
{
	bool reveal = false;

	if (!h->server)
		return true; /* the developer's own list */
	if (h->session)
		return h->s.conf.reveal_ids;
	if (emb_config_reveal_ids(&reveal, h->cfg) < 0)
		reveal = false;
	return reveal;
}

/*
 * Why a check could not be made.  On the server the push is rejected
 * whatever went wrong; the pusher sees these lines as "remote: ...".
 * A broken list (or embargo.* setting the list is read with) is not
 * explained to pushers unless embargo.revealIds says so: the message
 * would name the list's path, a line, a pattern.
 */
static int fail_check(const struct hook_run *h, int error)
{
	const char *msg = emb_error_last();

	if (h->server && (h->list_failed || error == EMB_EMATCH) &&
	    !reveal_ids(h)) {
		fprintf(stderr,
			"git-embargo: push rejected: cannot check it: the "
			"embargo settings of this server are broken\n"
			"git-embargo: pushes are refused while the check "
			"cannot run; tell the administrators of this server "
			"('git embargo list' in the repository says why)\n");
		return emb_error_exit_code(error);
	}

	if (error == EMB_ETIMEOUT) {
		int64_t ms = h->session ? h->s.conf.timeout_ms :
					  EMB_CONFIG_DEFAULT_TIMEOUT_MS;

		fprintf(stderr,
			"git-embargo: push %s: the check did not finish within "
			"embargo.timeout (%lld.%03lld s)\n"
			"git-embargo: nothing is let through unchecked; push "
			"fewer commits at a time, or %s\n",
			h->server ? "rejected" : "aborted",
			(long long)(ms / 1000), (long long)(ms % 1000),
			h->server ? "ask the administrators to raise "
				    "embargo.timeout" :
				    "raise embargo.timeout (0: no limit)");
		return EMB_EXIT_REPO;
	}
	fprintf(stderr, "git-embargo: push %s: cannot check it: %s\n",
		h->server ? "rejected" : "aborted",
		*msg ? msg : "unknown error");
	if (h->server)
		fprintf(stderr, "git-embargo: pushes are refused while the "
				"check cannot run; tell the administrators of "
				"this server\n");
	return emb_error_exit_code(error);
}

/* Open the repository (from the hook environment) and snapshot config. */
static int open_repo(struct hook_run *h)
{
	int error;

	if ((error = emb_repo_open(&h->repo, NULL, EMB_REPO_OPEN_FROM_ENV)) < 0)
		return error;
	if (git_repository_config_snapshot(&h->cfg, h->repo) < 0) {
		emb_error_set_git("cannot read git config");
		return EMB_ECONFIG;
	}
	/* libgit2 would checksum a commit-graph it then rejects */
	emb_reach_drop_libgit2_graph(h->repo);
	h->t_open = emb_clock_ms();
	return 0;
}

static int load_session(struct hook_run *h)
{
	int error = emb_session_init(&h->s, h->repo, NULL, 0, NULL, NULL);

	h->session = true;
	h->list_failed = error < 0;
	h->t_list = emb_clock_ms();
	return error;
}

static int64_t deadline(const struct hook_run *h, enum emb_push_side side)
{
	return emb_push_deadline(h->start, side, &h->s.conf,
				 getenv("GIT_EMBARGO_TIMEOUT_MS"));
}

static int check(struct hook_run *h, enum emb_push_side side,
		 const struct emb_remote_refs *receiver, int64_t dl)
{
	struct emb_push_opts po = EMB_PUSH_OPTS_INIT;
	char **forks = NULL;
	size_t i, nforks = 0;
	int error;

	po.side = side;
	po.receiver = receiver;
	po.deadline_ms = dl;
	po.max_blob_size = h->s.conf.max_blob_size;
	if (side == EMB_PUSH_CLIENT &&
	    (error = emb_remote_security_forks(&forks, &nforks, h->cfg)) < 0)
		return error;
	po.security_forks = (const char *const *)forks;
	po.nforks = nforks;
	error = emb_push_check(&h->result, h->repo, h->s.matcher, &h->updates,
			       &po);
	for (i = 0; i < nforks; i++)
		free(forks[i]);
	free(forks);
	if (h->verbose) {
		const struct emb_reach_stats *rs = &h->result.reach;
		char how[160];

		if (rs->walked)
			snprintf(how, sizeof(how),
				 "%zu new after looking at %zu (%s)",
				 rs->new_commits, rs->visited,
				 rs->used_graph ? "commit-graph" :
						  "no commit-graph");
		else
			snprintf(how, sizeof(how),
				 "the receiver has no ref: "
				 "no walk");
		fprintf(stderr,
			"git-embargo: %s: %s%llu commit%s and %llu ref%s "
			"scanned, %s; %lld ms: open %lld, list %lld, check "
			"%lld\n",
			h->name, error < 0 ? "stopped: " : "",
			(unsigned long long)h->result.commits,
			h->result.commits == 1 ? "" : "s",
			(unsigned long long)h->result.refs,
			h->result.refs == 1 ? "" : "s", how,
			(long long)(emb_clock_ms() - h->start),
			(long long)(h->t_open - h->start),
			(long long)(h->t_list - h->t_open),
			(long long)(emb_clock_ms() - h->t_list));
	}
	return error;
}

static enum emb_disclosure disclosure(const struct hook_run *h)
{
	return emb_report_disclosure(&h->result.findings, reveal_ids(h));
}

/*
 * What the findings `f` (the push's, or some of them) are; on a server,
 * only what report.h allows, decided on the whole push so that a part
 * shows no more than the whole.
 */
static void print_list(const struct hook_run *h, const struct emb_findings *f)
{
	struct emb_report_opts ro = EMB_REPORT_OPTS_INIT;

	ro.color = !h->server && cmd_use_color(stderr);
	ro.indent = "    ";
	fputc('\n', stderr);
	switch (disclosure(h)) {
	case EMB_DISCLOSE_ALL:
		emb_report_text(stderr, f, &ro);
		break;
	case EMB_DISCLOSE_PLACES:
		emb_report_places(stderr, f, &ro);
		break;
	case EMB_DISCLOSE_COUNT:
		fprintf(stderr,
			"%s%zu place%s in this push name embargoed security "
			"issues, in more than %d different texts: where and "
			"which is not shown,\n"
			"%sas that is what a probe of the embargo list looks "
			"like\n",
			ro.indent, f->n, f->n == 1 ? "" : "s",
			EMB_DISCLOSE_MAX_TEXTS, ro.indent);
		break;
	}
	fputc('\n', stderr);
}

static void print_findings(const struct hook_run *h)
{
	print_list(h, &h->result.findings);
}

/* What has to change for the push to pass, by kind of finding. */
struct fixes {
	bool commits; /* messages, identities, files */
	bool names;   /* ref and tag names */
	bool tags;    /* annotated tag messages */
	bool notes;
	bool fix; /* the embargoed fix itself */
};

static struct fixes fixes_of(const struct emb_findings *f)
{
	struct fixes x = { false, false, false, false, false };
	size_t i;

	for (i = 0; i < f->n; i++) {
		switch (f->v[i].kind) {
		case EMB_KIND_REF:
			x.names = true;
			break;
		case EMB_KIND_TAG:
			/* a tag's name has no object, its message has one */
			if (f->v[i].has_commit)
				x.tags = true;
			else
				x.names = true;
			break;
		case EMB_KIND_NOTE:
			x.notes = true;
			break;
		case EMB_KIND_FIX:
			x.fix = true;
			break;
		case EMB_KIND_HEADER: /* a tag's, or a commit's */
			if (f->v[i].ref)
				x.tags = true;
			else
				x.commits = true;
			break;
		default:
			x.commits = true;
			break;
		}
	}
	return x;
}

/*
 * What to do, in the order of the findings' kinds.  `rebase_base` names
 * the commit to rebase onto when one is known, `dest` where to push.
 */
static void advise(const struct emb_findings *f, const char *rebase_base,
		   const char *dest)
{
	struct fixes x = fixes_of(f);

	if (x.commits)
		fprintf(stderr,
			"  - reword the commits to remove the "
			"references: 'git rebase -i %s'\n"
			"    ('git commit --amend' for the last one)\n",
			rebase_base ? rebase_base :
				      "<the last commit the "
				      "remote has>");
	if (x.fix)
		fprintf(stderr,
			"  - the fix itself is embargoed, whatever its "
			"message says: keep it off\n"
			"    this branch until the embargo ends (drop "
			"it with 'git rebase -i %s')\n",
			rebase_base ? rebase_base :
				      "<the last commit the "
				      "remote has>");
	if (x.tags)
		fprintf(stderr, "  - write the annotated tags again without "
				"them: 'git tag -f -a <tag>'\n");
	if (x.notes)
		fprintf(stderr, "  - edit the notes: 'git notes edit "
				"<commit>'\n");
	if (x.names)
		fprintf(stderr,
			"  - push under a name that does not name the "
			"issue: 'git push %s <branch>:<other name>'\n",
			dest);
}

static void hook_release(struct hook_run *h)
{
	emb_push_result_release(&h->result);
	emb_refupdates_release(&h->updates);
	if (h->session)
		emb_session_release(&h->s);
	git_config_free(h->cfg);
	git_odb_free(h->odb);
	git_repository_free(h->repo);
}

static git_odb *odb_of(struct hook_run *h)
{
	if (!h->odb && git_repository_odb(&h->odb, h->repo) < 0)
		git_error_clear();
	return h->odb;
}

/* --- pre-push --- */

static int pre_push(struct hook_run *h, int argc, char **argv)
{
	struct emb_buf in = EMB_BUF_INIT;
	struct emb_remote_refs receiver = EMB_REMOTE_REFS_INIT;
	const char *name, *url;
	char *why = NULL, base[13] = "";
	bool is_private = false, named;
	size_t i, nupdated = 0;
	int error, status = EMB_EXIT_OK;

	if (argc != 3) {
		/* git passes <remote> <url>; anything else is not git */
		fprintf(stderr, "%s\n", usage_text);
		return EMB_EXIT_CONFIG;
	}
	name = argv[1];
	url = argv[2];
	named = strcmp(name, url) != 0;

	/* every line, even when nothing will be scanned */
	if ((error = read_stdin(&in)) < 0 || (error = open_repo(h)) < 0 ||
	    (error = emb_remote_is_private(&is_private, &why, h->cfg,
					   named ? name : NULL, url)) < 0)
		goto fail;
	if (is_private) {
		if (h->verbose)
			fprintf(stderr,
				"git-embargo: '%s' is private (%s): "
				"not scanned\n",
				url, why);
		goto out;
	}
	if ((error = emb_refupdates_parse(&h->updates, EMB_REFUPDATE_PRE_PUSH,
					  in.ptr, in.size)) < 0 ||
	    (error = emb_remote_refs_client(&receiver, h->cfg,
					    named ? name : NULL, url)) < 0 ||
	    (error = load_session(h)) < 0 ||
	    (error = check(h, EMB_PUSH_CLIENT, &receiver,
			   deadline(h, EMB_PUSH_CLIENT))) < 0)
		goto fail;
	if (!h->result.findings.n)
		goto out;

	fprintf(stderr,
		"git-embargo: push to '%s' blocked: it would publish "
		"references to embargoed security issues\n",
		named ? name : url);
	if (why) /* marked private, but the push goes elsewhere */
		fprintf(stderr, "git-embargo: '%s' is public here: %s\n", url,
			why);
	print_findings(h);
	/* one branch updated: rebase onto what the remote has of it */
	for (i = 0; i < h->updates.n; i++) {
		const struct emb_refupdate *u = &h->updates.v[i];

		if (!u->has_new)
			continue;
		nupdated++;
		if (u->has_old && odb_of(h) &&
		    git_odb_exists(odb_of(h), &u->old_id))
			git_oid_tostr(base, sizeof(base), &u->old_id);
	}
	if (nupdated != 1)
		base[0] = '\0';
	fprintf(stderr, "Nothing was pushed.  To publish this work:\n");
	advise(&h->result.findings, base[0] ? base : NULL, named ? name : url);
	fprintf(stderr,
		"  - or push to a private remote (mark one with 'git config "
		"remote.<name>.embargo private'\n"
		"    or an embargo.private URL pattern)\n"
		"  - or wait until the embargo ends, at the moment shown\n"
		"  - or, where the server allows overrides, name each "
		"identifier and why\n"
		"    (the server still checks the push, and records who "
		"overrode what):\n"
		"    %s\n",
		override_how);
	status = EMB_EXIT_FOUND;
	goto out;
fail:
	status = fail_check(h, error);
out:
	free(why);
	emb_remote_refs_release(&receiver);
	emb_buf_release(&in);
	return status;
}

/* --- pre-receive and update --- */

/* The push options git exports to pre-receive (never to update). */
static const char **push_options(size_t *n)
{
	const char *count = getenv("GIT_PUSH_OPTION_COUNT");
	const char **v;
	size_t i;
	long c;

	*n = 0;
	if (!count || !*count)
		return NULL;
	c = strtol(count, NULL, 10);
	if (c <= 0 || c > 10000)
		return NULL;
	v = emb_xcalloc((size_t)c, sizeof(*v));
	for (i = 0; i < (size_t)c; i++) {
		char key[64];

		snprintf(key, sizeof(key), "GIT_PUSH_OPTION_%zu", i);
		v[(*n)++] = getenv(key);
	}
	return v;
}

static void server_advice(const struct hook_run *h, bool overridable,
			  const struct emb_pusher *who)
{
	enum emb_disclosure d = disclosure(h);

	fprintf(stderr, "Nothing was changed here.  To push:\n");
	if (d == EMB_DISCLOSE_COUNT)
		fprintf(stderr, "  - check the commits against the embargo "
				"list before pushing ('git embargo install' "
				"with the list\n"
				"    your security team keeps), or ask the "
				"administrators of this server\n");
	else
		advise(&h->result.findings, NULL, "<remote>");
	fprintf(stderr,
		"  - or push to a private repository\n"
		"  - or wait until the embargo ends%s\n",
		d == EMB_DISCLOSE_ALL ? ", at the moment shown" : "");
	if (overridable)
		fprintf(stderr,
			"  - only if it must be published now, name each "
			"identifier and why:\n"
			"    %s\n"
			"    (--no-verify gets it past your own pre-push hook; "
			"the override is recorded\n"
			"    as '%s' pushing to '%s')\n",
			override_how, who->name, who->repository);
}

/* Print the findings, only those flagged in `only` when not NULL. */
static void print_some(const struct hook_run *h, const bool *only)
{
	struct emb_findings view = EMB_FINDINGS_INIT;
	size_t i;

	if (!only) {
		print_findings(h);
		return;
	}
	/* a borrowed view: the report only reads */
	view.v = emb_xcalloc(h->result.findings.n + 1, sizeof(*view.v));
	for (i = 0; i < h->result.findings.n; i++)
		if (only[i])
			view.v[view.n++] = h->result.findings.v[i];
	print_list(h, &view);
	free(view.v);
}

/* Why an override was refused, as the pusher reads it. */
static void print_refusal(enum emb_override_verdict v,
			  const struct emb_pusher *who)
{
	switch (v) {
	case EMB_OVERRIDE_DISABLED:
		fprintf(stderr, "git-embargo: override refused: this "
				"repository does not allow overrides "
				"(embargo.allowOverride is not true)\n");
		break;
	case EMB_OVERRIDE_NOT_ALLOWED:
		fprintf(stderr,
			"git-embargo: override refused: '%s' is not "
			"one of the users who may override here "
			"(embargo.overrideUsers)\n",
			who->name);
		break;
	case EMB_OVERRIDE_NO_IDS:
		fprintf(stderr,
			"git-embargo: override refused: name the "
			"identifiers it is for, then a reason:\n"
			"git-embargo:   %s\n",
			override_how);
		break;
	case EMB_OVERRIDE_NO_REASON:
		fprintf(stderr,
			"git-embargo: override refused: an override "
			"needs a reason after the identifiers:\n"
			"git-embargo:   %s\n",
			override_how);
		break;
	case EMB_OVERRIDE_NO_LOG:
		fprintf(stderr, "git-embargo: override refused: "
				"embargo.auditLog is not set on this server, "
				"and an override must be recorded\n");
		break;
	case EMB_OVERRIDE_PARTIAL:
		fprintf(stderr, "git-embargo: override refused: it does not "
				"name every embargoed identifier in this push; "
				"these are not named (above)\n");
		break;
	case EMB_OVERRIDE_GRANTED:
		break;
	}
}

/* Append a record; a blocked push that cannot be recorded stays
 * blocked, and says so without naming the file. */
static int record(const struct hook_run *h, enum emb_record_event event,
		  const struct emb_pusher *who, const char *reason,
		  const bool *only)
{
	struct emb_record r = { .event = event,
				.time = (int64_t)time(NULL),
				.pusher = who,
				.reason = reason,
				.updates = &h->updates,
				.findings = &h->result.findings,
				.only = only };

	if (!h->s.conf.audit_log)
		return 0;
	return emb_record_append(h->s.conf.audit_log, &r);
}

/* A rejected push with findings is recorded, whatever rejected it. */
static void record_blocked(const struct hook_run *h,
			   const struct emb_override_req *req,
			   const struct emb_pusher *who)
{
	if (record(h, EMB_RECORD_BLOCKED, who,
		   req->asked ? (req->reason ? req->reason : "") : NULL,
		   NULL) < 0)
		fprintf(stderr, "git-embargo: this attempt could not be "
				"recorded; tell the administrators of this "
				"server\n");
	else if (h->s.conf.audit_log)
		fprintf(stderr,
			"git-embargo: this attempt is recorded as "
			"'%s' pushing to '%s'\n",
			who->name, who->repository);
}

/*
 * The findings stand: reject, unless the push asks for an override
 * that is granted.  Every rejection and every override is recorded
 * where embargo.auditLog is set.
 */
static int reject_or_override(struct hook_run *h, bool single,
			      const struct emb_override_req *req,
			      const struct emb_pusher *who)
{
	struct emb_override_outcome o;
	int error, status = EMB_EXIT_FOUND;

	if ((error = emb_override_judge(&o, req, &h->result.findings,
					h->s.matcher, &h->s.conf, who,
					!single)) < 0) {
		status = fail_check(h, error);
		goto out;
	}
	if (o.granted) {
		if (record(h, EMB_RECORD_OVERRIDE, who, req->reason, NULL) <
		    0) {
			fprintf(stderr,
				"git-embargo: push rejected: override "
				"not recorded: %s\n",
				emb_error_last());
			status = EMB_EXIT_REPO;
			goto out;
		}
		fprintf(stderr,
			"git-embargo: override by '%s' accepted and "
			"recorded: %s\n",
			who->name, req->reason);
		fprintf(stderr, "git-embargo: this push publishes references "
				"to embargoed security issues:\n");
		print_findings(h);
		status = EMB_EXIT_OK;
		goto out;
	}

	if (single)
		fprintf(stderr,
			"git-embargo: '%s' rejected: it would publish "
			"references to embargoed security issues\n",
			h->updates.v[0].ref);
	else
		fprintf(stderr, "git-embargo: push rejected: it would publish "
				"references to embargoed security issues\n");
	print_some(h, o.still);
	if (o.asked)
		print_refusal(o.verdict, who);
	record_blocked(h, req, who);
	server_advice(h, o.offer, who);
out:
	emb_override_outcome_release(&o);
	return status;
}

/* embargo.requirePolicy (policy_require.h): say why the push is refused. */
static int require_policy(struct hook_run *h, bool *rejected)
{
	struct emb_policy_result *r = NULL;
	const char *ref = NULL;
	int error;

	*rejected = false;
	if ((error = emb_policy_require(&r, &ref, h->repo, h->cfg,
					&h->updates)) < 0 ||
	    !r)
		return error;
	fprintf(stderr,
		"git-embargo: push rejected: '%s' is the default branch and "
		"embargo.requirePolicy is set, but its new SECURITY.md has "
		"errors:\n",
		ref);
	emb_policy_print(stderr, r, false, false, "  ");
	fprintf(stderr, "Nothing was changed here.  Restore or fix "
			"SECURITY.md and push again.\n");
	*rejected = true;
	emb_policy_result_free(r);
	return 0;
}

/*
 * pre-receive (the updates on `in`) or update (`single`: the one update
 * already in h->updates).
 */
static int server_hook(struct hook_run *h, const struct emb_buf *in,
		       bool single)
{
	const char **opts = NULL;
	struct emb_remote_refs shown = EMB_REMOTE_REFS_INIT;
	struct emb_override_req req;
	struct emb_pusher who;
	bool is_public = true, policy_rejected = false;
	size_t nopts = 0;
	int error, status;

	if ((error = open_repo(h)) < 0 ||
	    (error = emb_remote_repo_is_public(&is_public, h->cfg)) < 0)
		return fail_check(h, error);
	if (!is_public)
		return EMB_EXIT_OK; /* embargo.public = false */
	if (!single &&
	    (error = emb_refupdates_parse(&h->updates, EMB_REFUPDATE_RECEIVE,
					  in->ptr, in->size)) < 0)
		return fail_check(h, error);
	/* only what a fetch shows is public: commits reachable from hidden
	 * refs alone are scanned when pushed under a shown one */
	if ((error = emb_remote_refs_server(&shown, h->cfg,
					    getenv("GIT_NAMESPACE"))) < 0 ||
	    (error = load_session(h)) < 0 ||
	    (error = check(h, EMB_PUSH_SERVER, &shown,
			   deadline(h, EMB_PUSH_SERVER))) < 0) {
		emb_remote_refs_release(&shown);
		return fail_check(h, error);
	}
	emb_remote_refs_release(&shown);

	if ((error = require_policy(h, &policy_rejected)) < 0)
		return fail_check(h, error);
	if (!h->result.findings.n)
		return policy_rejected ? EMB_EXIT_FOUND : EMB_EXIT_OK;

	/* git exports push options to pre-receive, never to update */
	if (!single)
		opts = push_options(&nopts);
	emb_override_req_parse(&req, opts, nopts);
	free(opts);
	emb_pusher_init(&who, &h->s.conf, git_repository_commondir(h->repo));
	if (policy_rejected) {
		/* no override gets past the policy: the findings are shown
		 * and recorded as any blocked push's are */
		print_findings(h);
		record_blocked(h, &req, &who);
		status = EMB_EXIT_FOUND;
	} else {
		status = reject_or_override(h, single, &req, &who);
	}
	emb_pusher_release(&who);
	emb_override_req_release(&req);
	return status;
}

static int pre_receive(struct hook_run *h, int argc, char **argv)
{
	struct emb_buf in = EMB_BUF_INIT;
	int error, status;

	if (argc != 1) {
		fprintf(stderr, "%s\n", usage_text);
		return EMB_EXIT_CONFIG;
	}
	if ((error = read_stdin(&in)) < 0)
		status = fail_check(h, error);
	else
		status = server_hook(h, &in, false);
	emb_buf_release(&in);
	return status;
}

static int update(struct hook_run *h, int argc, char **argv)
{
	struct emb_refupdate u;
	int error;

	if (argc != 4) {
		fprintf(stderr, "%s\n", usage_text);
		return EMB_EXIT_CONFIG;
	}
	if ((error = emb_refupdate_from_args(&u, argv[1], argv[2], argv[3])) <
	    0)
		return fail_check(h, error);
	emb_refupdates_add(&h->updates, &u);
	return server_hook(h, NULL, true);
}

static const struct {
	const char *name;
	int (*fn)(struct hook_run *h, int argc, char **argv);
	bool server;
} hooks[] = {
	{ "pre-push", pre_push, false },
	{ "pre-receive", pre_receive, true },
	{ "update", update, true },
};

int cmd_hook(int argc, char **argv)
{
	struct hook_run h;
	struct cli_opt_parser p;
	size_t k;
	int i, id, status;

	memset(&h, 0, sizeof(h));
	h.start = emb_clock_ms();
	cli_opt_init(&p, &cmd_hook_options, argc, argv);
	while ((id = cli_opt_next(&p)) != CLI_OPT_ARG) {
		switch (id) {
		case OPT_VERBOSE:
			h.verbose = true;
			break;
		case CLI_OPT_HELP:
			cli_opt_help(stdout, &cmd_hook_options);
			return EMB_EXIT_OK;
		case CLI_OPT_DONE:
			fprintf(stderr, "%s\n", usage_text);
			return EMB_EXIT_CONFIG;
		default:
			return EMB_EXIT_CONFIG;
		}
	}
	/* the hook's name: git's arguments follow it */
	i = p.i - 1;
	for (k = 0; k < sizeof(hooks) / sizeof(hooks[0]); k++) {
		if (strcmp(argv[i], hooks[k].name))
			continue;
		h.name = hooks[k].name;
		h.server = hooks[k].server;
		status = hooks[k].fn(&h, argc - i, argv + i);
		hook_release(&h);
		return status;
	}
	fprintf(stderr,
		"git-embargo: '%s' is not a hook git-embargo "
		"handles\n%s\n",
		argv[i], usage_text);
	return EMB_EXIT_CONFIG;
}
