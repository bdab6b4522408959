/*
 * version.h - the one place the program's version is written.  The
 * `--version` line, every SARIF run and the HTML page read it from here,
 * and `make deb` reads it out of this file.
 */
#ifndef EMBARGO_VERSION_H
#define EMBARGO_VERSION_H

#define EMB_VERSION "0.2.0"

#endif
