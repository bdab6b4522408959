/*
 * opt.c - one parser for every command's option table (opt.h), and the
 * --help and --dump-options printers that read the same table.
 *
 * It only reads arguments: what an option means, and whether its value
 * is good, is for the command.
 */
#include <stdarg.h>
#include <string.h>

#include "cmd.h"
#include "embargo/error.h"
#include "opt.h"

void cli_opt_init(struct cli_opt_parser *p, const struct cli_opt_cmd *cmd,
		  int argc, char **argv)
{
	memset(p, 0, sizeof(*p));
	p->cmd = cmd;
	p->argc = argc;
	p->argv = argv;
	p->i = 1;
}

int cli_opt_usage_error(const struct cli_opt_cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	fputs("git-embargo: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%s\n", cmd->usage);
	return EMB_EXIT_CONFIG;
}

static const struct cli_opt *by_name(const struct cli_opt_cmd *cmd,
				     const char *name, size_t len)
{
	const struct cli_opt *o;

	for (o = cmd->opts; o->id; o++)
		if (o->name && strlen(o->name) == len &&
		    !strncmp(o->name, name, len))
			return o;
	return NULL;
}

static const struct cli_opt *by_alias(const struct cli_opt_cmd *cmd, char c)
{
	const struct cli_opt *o;

	for (o = cmd->opts; o->id; o++)
		if (o->alias == c)
			return o;
	return NULL;
}

int cli_opt_match(const struct cli_opt_cmd *cmd, const char *arg,
		  const char **value)
{
	const char *name, *eq;
	const struct cli_opt *o;

	*value = NULL;
	if (strncmp(arg, "--", 2) || !arg[2])
		return 0;
	name = arg + 2;
	eq = strchr(name, '=');
	o = by_name(cmd, name, eq ? (size_t)(eq - name) : strlen(name));
	if (!o || (eq && o->kind == CLI_OPT_SWITCH))
		return 0;
	*value = eq ? eq + 1 : NULL;
	return o->id;
}

/* --all, --not, --branches[=<glob>], ...: what walk.c takes */
static bool is_revision_option(const char *arg)
{
	static const char *const plain[] = { "--all", "--not" };
	static const char *const globbed[] = { "--branches", "--tags",
					       "--remotes" };
	size_t i, n;

	for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		if (!strcmp(arg, plain[i]))
			return true;
	for (i = 0; i < sizeof(globbed) / sizeof(globbed[0]); i++) {
		n = strlen(globbed[i]);
		if (!strncmp(arg, globbed[i], n) &&
		    (arg[n] == '\0' || arg[n] == '='))
			return true;
	}
	return false;
}

static int found(struct cli_opt_parser *p, const struct cli_opt *o)
{
	p->opt = o;
	return o->id;
}

static int next_short(struct cli_opt_parser *p)
{
	char c = *p->bundle++;
	const struct cli_opt *o = by_alias(p->cmd, c);

	if (!o) {
		p->bundle = NULL;
		if (c == 'h')
			return CLI_OPT_HELP;
		return cli_opt_usage_error(p->cmd, "unknown option '-%c'", c),
		       CLI_OPT_ERROR;
	}
	p->value = NULL;
	if (o->kind == CLI_OPT_VALUE) {
		if (*p->bundle) {
			p->value = p->bundle;
		} else if (p->i < p->argc) {
			p->value = p->argv[p->i++];
		} else {
			p->bundle = NULL;
			return cli_opt_usage_error(
				       p->cmd, "option '-%c' needs a value", c),
			       CLI_OPT_ERROR;
		}
		p->bundle = NULL;
	}
	if (p->bundle && !*p->bundle)
		p->bundle = NULL;
	return found(p, o);
}

static int next_long(struct cli_opt_parser *p, const char *arg)
{
	const char *name = arg + 2, *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	const struct cli_opt *o = by_name(p->cmd, name, len);

	if (!o) {
		if (len == 4 && !strncmp(name, "help", 4))
			return CLI_OPT_HELP;
		return cli_opt_usage_error(p->cmd, "unknown option '--%.*s'",
					   (int)len, name),
		       CLI_OPT_ERROR;
	}
	p->value = eq ? eq + 1 : NULL;
	switch (o->kind) {
	case CLI_OPT_SWITCH:
		if (eq)
			return cli_opt_usage_error(p->cmd,
						   "option '--%s' takes no "
						   "value",
						   o->name),
			       CLI_OPT_ERROR;
		break;
	case CLI_OPT_VALUE:
		if (eq)
			break;
		if (p->i >= p->argc)
			return cli_opt_usage_error(p->cmd,
						   "option '--%s' needs a "
						   "value",
						   o->name),
			       CLI_OPT_ERROR;
		p->value = p->argv[p->i++];
		break;
	case CLI_OPT_OPTIONAL:
		break;
	}
	return found(p, o);
}

int cli_opt_next(struct cli_opt_parser *p)
{
	const char *a;

	p->opt = NULL;
	if (p->bundle)
		return next_short(p);
	for (;;) {
		if (p->i >= p->argc)
			return CLI_OPT_DONE;
		a = p->argv[p->i++];
		if (p->only_args || a[0] != '-' || !a[1]) {
			if (p->cmd->stop_at_arg)
				p->only_args = true;
			p->value = a;
			return CLI_OPT_ARG;
		}
		if (strcmp(a, "--") != 0)
			break;
		p->only_args = true;
	}
	if (p->cmd->revisions && is_revision_option(a)) {
		p->value = a;
		return CLI_OPT_ARG;
	}
	if (a[1] == '-')
		return next_long(p, a);
	p->bundle = a + 1;
	return next_short(p);
}

/* "-x, --name VALUE", as the left column of --help shows it */
static void left_column(char *buf, size_t size, const struct cli_opt *o)
{
	const char *v = o->value_name ? o->value_name : "";
	int n = 0;

	if (o->alias)
		n = snprintf(buf, size, "-%c%s", o->alias, o->name ? ", " : "");
	if (n < 0 || (size_t)n >= size)
		return;
	if (o->name)
		snprintf(buf + n, size - (size_t)n, "--%s%s%s%s", o->name,
			 o->kind == CLI_OPT_OPTIONAL && *v ? "[=" :
			 *v				   ? " " :
							     "",
			 v, o->kind == CLI_OPT_OPTIONAL && *v ? "]" : "");
	else if (*v)
		snprintf(buf + n, size - (size_t)n, " %s", v);
}

void cli_opt_help(FILE *out, const struct cli_opt_cmd *cmd)
{
	const struct cli_opt *o;
	bool any = false;

	fprintf(out, "%s\n", cmd->usage);
	for (o = cmd->opts; o->id; o++) {
		char left[128] = "";

		if (o->flags & CLI_OPT_HIDDEN)
			continue;
		if (!any)
			fputc('\n', out);
		any = true;
		left_column(left, sizeof(left), o);
		if (strlen(left) > 20)
			fprintf(out, "    %s\n    %-20s  %s\n", left, "",
				o->help ? o->help : "");
		else
			fprintf(out, "    %-20s  %s\n", left,
				o->help ? o->help : "");
	}
}

void cli_opt_dump(FILE *out, const struct cli_opt_cmd *cmd)
{
	const struct cli_opt *o;
	const char *name = cmd->name ? cmd->name : "git-embargo";

	for (o = cmd->opts; o->id; o++) {
		if (o->flags & CLI_OPT_HIDDEN)
			continue;
		if (o->name)
			fprintf(out, "%s --%s\n", name, o->name);
		else
			fprintf(out, "%s -%c\n", name, o->alias);
	}
}
