/*
 * opt.h - the option table each command declares, and the one parser
 * that reads it (after libgit2's cli_opt_spec and git's parse_options).
 *
 * The parser takes --name=VALUE, --name VALUE, -x VALUE, -xVALUE and
 * bundled short switches (-qv); "--" ends the options.  An unknown
 * option, or one without its value, is a usage error named in one line.
 * The same table prints --help and `git embargo --dump-options`, which a
 * test compares with the man page's SYNOPSIS.  Private to src/cli/.
 */
#ifndef EMBARGO_CLI_OPT_H
#define EMBARGO_CLI_OPT_H

#include <stdbool.h>
#include <stdio.h>

enum cli_opt_kind {
	CLI_OPT_SWITCH,	  /* --name: no value */
	CLI_OPT_VALUE,	  /* --name VALUE or --name=VALUE */
	CLI_OPT_OPTIONAL, /* --name or --name=VALUE (never a separate one) */
};

enum cli_opt_flags {
	/* not in --help, nor in the man page */
	CLI_OPT_HIDDEN = 1 << 0,
};

struct cli_opt {
	int id;		  /* what cli_opt_next() returns: above 0 */
	const char *name; /* the long name without "--", or NULL */
	char alias;	  /* the short letter, or 0 */
	enum cli_opt_kind kind;
	const char *value_name; /* "FILE", in --help and the man page */
	const char *help;	/* one line of --help */
	unsigned flags;
};

struct cli_opt_cmd {
	const char *name;	    /* "scan"; NULL for the global options */
	const char *usage;	    /* the usage line(s), without options */
	const struct cli_opt *opts; /* ends with an entry of id 0 */
	/* the first argument ends the options (a hook's own arguments,
	 * a command after the global options) */
	bool stop_at_arg;
	/* git rev-list's revision options (--all, --not, --branches[=],
	 * --tags[=], --remotes[=]) are arguments, in order with the others,
	 * for the revision parser (walk.h) */
	bool revisions;
};

struct cli_opt_parser {
	const struct cli_opt_cmd *cmd;
	int argc;
	char **argv;
	int i;		    /* the next argv to read */
	const char *bundle; /* what is left of a -xyz bundle */
	bool only_args;	    /* after "--", or a stop_at_arg argument */
	const char *value;  /* the value of what cli_opt_next() returned */
	const struct cli_opt *opt; /* the option returned */
};

#define CLI_OPT_DONE 0	   /* no argument left */
#define CLI_OPT_ARG (-1)   /* an argument (or a revision option) in value */
#define CLI_OPT_HELP (-2)  /* -h or --help */
#define CLI_OPT_ERROR (-3) /* a usage error, already said on stderr */

/** Read `argv[1..argc)` against `cmd`'s table. */
void cli_opt_init(struct cli_opt_parser *p, const struct cli_opt_cmd *cmd,
		  int argc, char **argv);

/**
 * The next option (its id, with its value in p->value, NULL for a
 * switch), argument, or end.
 * @return an id, CLI_OPT_ARG, CLI_OPT_HELP, CLI_OPT_DONE or
 * CLI_OPT_ERROR
 */
int cli_opt_next(struct cli_opt_parser *p);

/**
 * Whether `arg` is one of `cmd`'s long options, and which; `*value` is
 * the text after '=' or NULL.  For options honoured anywhere on the
 * command line.
 * @return its id, or 0
 */
int cli_opt_match(const struct cli_opt_cmd *cmd, const char *arg,
		  const char **value);

/** The usage and a line per option, as --help prints them. */
void cli_opt_help(FILE *out, const struct cli_opt_cmd *cmd);

/**
 * "git-embargo: <message>" and the usage on stderr.
 * @return EMB_EXIT_CONFIG
 */
int cli_opt_usage_error(const struct cli_opt_cmd *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/**
 * One line per option the man page must show: "<command> --name",
 * "<command> -x" (the global options under "git-embargo").
 */
void cli_opt_dump(FILE *out, const struct cli_opt_cmd *cmd);

#endif
