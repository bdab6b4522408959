/*
 * override.c - who pushed, the override decision and the audit record.
 *
 * Everything here reads the environment the forge gives its hooks, the
 * settings and the findings; nothing prints.  The hook command turns
 * the verdicts into messages.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "embargo/audit.h"
#include "embargo/buf.h"
#include "embargo/error.h"
#include "embargo/map.h"
#include "embargo/override.h"
#include "embargo/utf8.h"

static const char *env(const char *name)
{
	const char *v = name ? getenv(name) : NULL;

	return v && *v ? v : NULL;
}

void emb_pusher_init(struct emb_pusher *p, const struct emb_config *conf,
		     const char *gitdir)
{
	/* the product's own name for the person first, then the web
	 * server's, then the Unix account (which on a shared account
	 * says nothing) */
	static const char *const users[] = {
		"GL_USERNAME",	     /* GitLab */
		"GL_ID",	     /* GitLab, when the name is missing */
		"GITHUB_USER_LOGIN", /* GitHub Enterprise Server */
		"GITEA_PUSHER_NAME", /* Gitea, Forgejo */
		"GL_USER",	     /* gitolite */
		"REMOTE_USER",	     /* git-http-backend */
		"USER",
	};
	static const char *const repos[] = {
		"GL_PROJECT_PATH",  /* GitLab */
		"GITHUB_REPO_NAME", /* GitHub Enterprise Server */
		"GL_REPO",	    /* gitolite */
	};
	size_t i;
	const char *v;

	memset(p, 0, sizeof(*p));
	if ((v = env(conf ? conf->pusher_env : NULL))) {
		p->name_from = conf->pusher_env;
	} else {
		for (i = 0; i < sizeof(users) / sizeof(users[0]); i++)
			if ((v = env(users[i]))) {
				p->name_from = users[i];
				break;
			}
	}
	p->name = emb_xstrdup(v ? v : "unknown");

	if ((v = env(conf ? conf->repository_env : NULL))) {
		p->repository = emb_xstrdup(v);
		p->repository_from = conf->repository_env;
		return;
	}
	if (env("GITEA_REPO_NAME")) {
		struct emb_buf b = EMB_BUF_INIT;

		if (env("GITEA_REPO_USER_NAME"))
			emb_buf_printf(&b, "%s/", env("GITEA_REPO_USER_NAME"));
		emb_buf_puts(&b, env("GITEA_REPO_NAME"));
		p->repository = emb_buf_detach(&b);
		p->repository_from = "GITEA_REPO_NAME";
		return;
	}
	for (i = 0; i < sizeof(repos) / sizeof(repos[0]); i++)
		if ((v = env(repos[i]))) {
			p->repository = emb_xstrdup(v);
			p->repository_from = repos[i];
			return;
		}
	p->repository = emb_xstrdup(gitdir ? gitdir : "unknown");
	while (strlen(p->repository) > 1 &&
	       p->repository[strlen(p->repository) - 1] == '/')
		p->repository[strlen(p->repository) - 1] = '\0';
}

void emb_pusher_release(struct emb_pusher *p)
{
	free(p->name);
	free(p->repository);
	memset(p, 0, sizeof(*p));
}

static char *trimmed(const char *s, size_t len)
{
	while (len && isspace((unsigned char)*s))
		s++, len--;
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	return len ? emb_xstrndup(s, len) : NULL;
}

/* "a" + "b" -> "a; b" (`*to` may be NULL; takes `add`) */
static void join(char **to, char *add, const char *sep)
{
	struct emb_buf b = EMB_BUF_INIT;

	if (!add)
		return;
	if (!*to) {
		*to = add;
		return;
	}
	emb_buf_printf(&b, "%s%s%s", *to, sep, add);
	free(*to);
	free(add);
	*to = emb_buf_detach(&b);
}

void emb_override_req_parse(struct emb_override_req *out,
			    const char *const *options, size_t n)
{
	static const char key[] = "embargo.override";
	size_t i, klen = sizeof(key) - 1;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < n; i++) {
		const char *o = options[i], *v, *colon;

		if (!o || strncmp(o, key, klen) ||
		    (o[klen] != '\0' && o[klen] != '='))
			continue;
		out->asked = true;
		if (o[klen] == '\0')
			continue;
		v = o + klen + 1;
		/* identifiers have no colon; a reason may */
		colon = strchr(v, ':');
		if (colon) {
			join(&out->ids, trimmed(v, (size_t)(colon - v)), ", ");
			join(&out->reason,
			     trimmed(colon + 1, strlen(colon + 1)), "; ");
		} else {
			join(&out->reason, trimmed(v, strlen(v)), "; ");
		}
	}
}

void emb_override_req_release(struct emb_override_req *r)
{
	free(r->ids);
	free(r->reason);
	memset(r, 0, sizeof(*r));
}

static bool may_override(const struct emb_config *conf,
			 const struct emb_pusher *pusher)
{
	size_t i;

	if (!conf->n_override_users)
		return true;
	for (i = 0; i < conf->n_override_users; i++)
		if (!strcmp(conf->override_users[i], pusher->name))
			return true;
	return false;
}

int emb_override_decide(enum emb_override_verdict *out, bool *covered,
			const struct emb_override_req *req,
			const struct emb_findings *findings,
			const struct emb_matcher *m,
			const struct emb_config *conf,
			const struct emb_pusher *pusher)
{
	struct emb_match_ctx *ctx = NULL;
	struct emb_hits hits = EMB_HITS_INIT;
	size_t i, j, left = 0;
	int error = 0;

	for (i = 0; i < findings->n; i++)
		covered[i] = false;
	if (!conf->allow_override) {
		*out = EMB_OVERRIDE_DISABLED;
		return 0;
	}
	if (!may_override(conf, pusher)) {
		*out = EMB_OVERRIDE_NOT_ALLOWED;
		return 0;
	}
	if (!req->ids) {
		*out = EMB_OVERRIDE_NO_IDS;
		return 0;
	}
	if (!req->reason) {
		*out = EMB_OVERRIDE_NO_REASON;
		return 0;
	}
	if (!conf->audit_log) {
		*out = EMB_OVERRIDE_NO_LOG;
		return 0;
	}
	/* the named identifiers are read as any text is: an identifier,
	 * an alias or the plain form of a hashed entry names its entry.
	 * A pattern's hit names nothing: another entry's pattern may match
	 * inside the identifier named (`31337` in CVE-2026-31337) */
	if ((error = emb_match_ctx_new(&ctx, m)) < 0 ||
	    (error = emb_match(ctx, req->ids, strlen(req->ids), &hits)) < 0)
		goto done;
	for (i = 0; i < findings->n; i++) {
		for (j = 0; j < hits.n && !covered[i]; j++)
			covered[i] = hits.v[j].how != EMB_HIT_PATTERN &&
				     hits.v[j].entry == findings->v[i].entry;
		left += !covered[i];
	}
	*out = left ? EMB_OVERRIDE_PARTIAL : EMB_OVERRIDE_GRANTED;
done:
	emb_hits_release(&hits);
	emb_match_ctx_free(ctx);
	return error;
}

int emb_override_judge(struct emb_override_outcome *out,
		       const struct emb_override_req *req,
		       const struct emb_findings *findings,
		       const struct emb_matcher *m,
		       const struct emb_config *conf,
		       const struct emb_pusher *pusher, bool options)
{
	bool *covered = emb_xcalloc(findings->n + 1, sizeof(bool));
	size_t i;
	int error = 0;

	memset(out, 0, sizeof(*out));
	out->asked = req->asked;
	out->verdict = EMB_OVERRIDE_DISABLED;
	if (req->asked &&
	    (error = emb_override_decide(&out->verdict, covered, req, findings,
					 m, conf, pusher)) < 0)
		goto done;
	out->granted = req->asked && out->verdict == EMB_OVERRIDE_GRANTED;
	if (req->asked && out->verdict == EMB_OVERRIDE_PARTIAL) {
		out->still = emb_xcalloc(findings->n + 1, sizeof(bool));
		for (i = 0; i < findings->n; i++)
			out->still[i] = !covered[i];
	}
	out->offer = options && conf->allow_override &&
		     out->verdict != EMB_OVERRIDE_NOT_ALLOWED;
done:
	free(covered);
	return error;
}

void emb_override_outcome_release(struct emb_override_outcome *o)
{
	free(o->still);
	memset(o, 0, sizeof(*o));
}

static json_t *record_json(const struct emb_record *r)
{
	json_t *refs = json_array(), *commits = json_array(),
	       *ids = json_array(), *doc;
	struct emb_map seen = EMB_MAP_INIT;
	char when[32], hex[GIT_OID_HEXSZ + 1], *ref;
	char *name = emb_utf8_cleanz(r->pusher ? r->pusher->name : "unknown");
	char *repo =
		emb_utf8_cleanz(r->pusher ? r->pusher->repository : "unknown");
	char *reason = r->reason ? emb_utf8_cleanz(r->reason) : NULL;
	time_t t = (time_t)r->time;
	struct tm tm;
	size_t i;

	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	for (i = 0; r->updates && i < r->updates->n; i++) {
		const struct emb_refupdate *u = &r->updates->v[i];
		char old[GIT_OID_HEXSZ + 1], new[GIT_OID_HEXSZ + 1];

		if (u->has_old)
			git_oid_tostr(old, sizeof(old), &u->old_id);
		if (u->has_new)
			git_oid_tostr(new, sizeof(new), &u->new_id);
		/* a ref name is bytes: JSON takes only UTF-8 */
		ref = emb_utf8_cleanz(u->ref);
		json_array_append_new(
			refs, json_pack("{s:s, s:s?, s:s?}", "ref", ref, "old",
					u->has_old ? old : NULL, "new",
					u->has_new ? new : NULL));
		free(ref);
	}
	for (i = 0; r->findings && i < r->findings->n; i++) {
		const struct emb_finding *f = &r->findings->v[i];
		/* the list's own form: a hashed entry stays hashed */
		const char *id = f->entry->id;

		if (r->only && !r->only[i])
			continue;
		if (emb_map_put(&seen, id, strlen(id), NULL))
			json_array_append_new(ids, json_string(id));
		if (f->has_commit) {
			git_oid_tostr(hex, sizeof(hex), &f->commit);
			if (emb_map_put(&seen, hex, strlen(hex), NULL))
				json_array_append_new(commits,
						      json_string(hex));
		}
	}
	emb_map_release(&seen);
	doc = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:s?}", "time",
			when, "event",
			r->event == EMB_RECORD_OVERRIDE ? "embargo.override" :
							  "embargo.blocked",
			"pusher", name, "repository", repo, "refs", refs,
			"commits", commits, "identifiers", ids, "reason",
			reason);
	if (doc && !reason)
		json_object_del(doc, "reason");
	free(name);
	free(repo);
	free(reason);
	return doc;
}

int emb_record_append(const char *path, const struct emb_record *r)
{
	json_t *doc = record_json(r);
	char *line = doc ? json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER |
						   JSON_ENSURE_ASCII) :
			   NULL;
	struct emb_buf b = EMB_BUF_INIT;
	ssize_t w;
	int fd = -1, error = 0;

	json_decref(doc);
	if (!line) {
		emb_error_set("cannot write the audit record");
		return EMB_ERROR;
	}
	emb_buf_puts(&b, line);
	emb_buf_putc(&b, '\n');
	free(line);
	/* one write() of the whole line, appended: concurrent pushes do
	 * not interleave their records */
	errno = 0;
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (fd < 0 || (w = write(fd, b.ptr, b.size)) != (ssize_t)b.size ||
	    fsync(fd) < 0) {
		emb_error_set("cannot append to the audit log '%s': %s", path,
			      strerror(errno ? errno : EIO));
		error = EMB_ERROR;
	}
	if (fd >= 0 && close(fd) < 0 && !error) {
		emb_error_set("cannot append to the audit log '%s': %s", path,
			      strerror(errno));
		error = EMB_ERROR;
	}
	emb_buf_release(&b);
	return error;
}
