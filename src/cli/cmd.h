/*
 * cmd.h - the commands of the git-embargo binary and what they share.
 *
 * Each command is src/cmd_<name>.c exporting cmd_<name>(argc, argv) with
 * argv[0] the command name; it returns the process exit status.
 */
#ifndef EMBARGO_CMD_H
#define EMBARGO_CMD_H

#include <stdbool.h>
#include <stdio.h>

int cmd_scan(int argc, char **argv);
int cmd_hash(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_policy(int argc, char **argv);
int cmd_hook(int argc, char **argv);
int cmd_install(int argc, char **argv);
int cmd_uninstall(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_fingerprint(int argc, char **argv);

/* each command's option table (opt.h): parsing, --help, the man page */
struct cli_opt_cmd;
extern const struct cli_opt_cmd cmd_scan_options, cmd_hash_options,
	cmd_list_options, cmd_policy_options, cmd_hook_options,
	cmd_install_options, cmd_uninstall_options, cmd_audit_options,
	cmd_fingerprint_options;

/** Print "git-embargo: <message>" on stderr and return `status`. */
int cmd_fail(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/** Print the last library error and return the exit status it maps to. */
int cmd_fail_error(int error);

/** @return true when colour should be used on `stream`. */
bool cmd_use_color(FILE *stream);

#endif
