/*
 * sarif.c - the one SARIF 2.1.0 writer (sarif.h).
 *
 * It knows SARIF's shapes and nothing of findings or policies: the
 * callers say what a result is about, this file says how SARIF writes
 * it.  Objects are built in a fixed key order, so a log is the same
 * bytes from run to run.
 */
#include <string.h>

#include "embargo/sarif.h"
#include "embargo/sha256.h"
#include "embargo/version.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define SARIF_VERSION "2.1.0"
#define TOOL_NAME "git-embargo"

json_t *emb_sarif_log(void)
{
	return json_pack("{s:s, s:s, s:[]}", "$schema", SARIF_SCHEMA, "version",
			 SARIF_VERSION, "runs");
}

json_t *emb_sarif_run_new(const char *information_uri)
{
	json_t *driver = json_pack("{s:s, s:s}", "name", TOOL_NAME, "version",
				   EMB_VERSION);

	if (information_uri)
		json_object_set_new(driver, "informationUri",
				    json_string(information_uri));
	json_object_set_new(driver, "rules", json_array());
	return json_pack("{s:{s:o}, s:[]}", "tool", "driver", driver,
			 "results");
}

static json_t *rule_object(const struct emb_sarif_rule *r)
{
	json_t *d = json_pack("{s:s, s:s}", "id", r->id, "name",
			      r->name ? r->name : r->id);

	if (!r->short_text)
		return d;
	json_object_set_new(d, "shortDescription",
			    json_pack("{s:s}", "text", r->short_text));
	if (r->full_text)
		json_object_set_new(d, "fullDescription",
				    json_pack("{s:s}", "text", r->full_text));
	if (r->help_text) {
		json_t *help = json_pack("{s:s}", "text", r->help_text);

		if (r->help_markdown)
			json_object_set_new(help, "markdown",
					    json_string(r->help_markdown));
		json_object_set_new(d, "help", help);
	}
	if (r->level)
		json_object_set_new(d, "defaultConfiguration",
				    json_pack("{s:s}", "level", r->level));
	json_object_set_new(d, "properties",
			    json_pack("{s:[s]}", "tags", "security"));
	return d;
}

void emb_sarif_run_add_rule(json_t *run, const struct emb_sarif_rule *rule)
{
	json_t *rules = json_object_get(
		json_object_get(json_object_get(run, "tool"), "driver"),
		"rules");
	const json_t *r;
	size_t i;

	json_array_foreach(rules, i, r)
	{
		const char *id = json_string_value(json_object_get(r, "id"));

		if (id && !strcmp(id, rule->id))
			return;
	}
	json_array_append_new(rules, rule_object(rule));
}

void emb_sarif_run_add_result(json_t *run, json_t *result)
{
	json_array_append_new(json_object_get(run, "results"), result);
}

void emb_sarif_run_set_id(json_t *run, const char *id)
{
	json_object_set_new(run, "automationDetails",
			    json_pack("{s:s}", "id", id));
}

void emb_sarif_log_add_run(json_t *log, json_t *run)
{
	json_array_append_new(json_object_get(log, "runs"), run);
}

json_t *emb_sarif_location(const char *uri, size_t line, int64_t byte_offset)
{
	json_t *phys = json_pack("{s:{s:s}}", "artifactLocation", "uri", uri);

	if (line)
		json_object_set_new(
			phys, "region",
			json_pack("{s:I}", "startLine", (json_int_t)line));
	else if (byte_offset >= 0)
		json_object_set_new(phys, "region",
				    json_pack("{s:I}", "byteOffset",
					      (json_int_t)byte_offset));
	return json_pack("{s:o}", "physicalLocation", phys);
}

void emb_sarif_location_logical(json_t *location, const char *name,
				const char *kind)
{
	json_object_set_new(
		location, "logicalLocations",
		json_pack("[{s:s, s:s}]", "name", name, "kind", kind));
}

json_t *emb_sarif_result(const char *rule_id, const char *level,
			 const char *message, json_t *location,
			 const char *fp_key, const char *fp_text)
{
	json_t *res = json_pack("{s:s, s:s, s:{s:s}, s:[o]}", "ruleId", rule_id,
				"level", level, "message", "text", message,
				"locations", location);

	if (fp_key && fp_text) {
		char hex[EMB_SHA256_HEX_SIZE];

		/* stable across runs and commands: the same problem is the
		 * same alert, whichever command found it */
		emb_sha256_hex(hex, fp_text, strlen(fp_text));
		json_object_set_new(res, "partialFingerprints",
				    json_pack("{s:s}", fp_key, hex));
	}
	return res;
}

int emb_sarif_stream_run(FILE *out, const json_t *run, bool first)
{
	fputs(first ? "{\"$schema\":\"" SARIF_SCHEMA
		      "\",\"version\":\"" SARIF_VERSION "\",\"runs\":[\n" :
		      ",\n",
	      out);
	if (json_dumpf(run, out, JSON_COMPACT) < 0)
		return -1;
	return ferror(out) ? -1 : 0;
}

int emb_sarif_stream_end(FILE *out, bool any_run)
{
	fputs(any_run ? "\n]}\n" :
			"{\"$schema\":\"" SARIF_SCHEMA
			"\",\"version\":\"" SARIF_VERSION "\",\"runs\":[]}\n",
	      out);
	return ferror(out) ? -1 : 0;
}
