// SPDX-License-Identifier: GPL-2.0
/*
 * The snapshot reader: a "show --json" document (schema PP_SCHEMA) taken
 * back for --input.  Its parts are in reader.h.  The reader validates the
 * whole document before anything uses it: a snapshot may come from another
 * machine, another pmemplan or a text editor, and every number in it ends
 * up in address arithmetic, so a bad value must stop here with one line
 * naming its JSON path rather than surface later as an underflow in the
 * planner.
 *
 * json-c quirks the reader works around (json-c 0.16):
 *  - integers beyond 64 bits are clamped, not rejected, even with
 *    JSON_TOKENER_STRICT: 2^64 and above read as UINT64_MAX, below -2^63 as
 *    INT64_MIN, and the getters do not set errno.  UINT64_MAX is also
 *    PP_UNKNOWN, so it is refused as a value.
 *  - a raw NUL byte ends the input as far as the tokener is concerned
 *    ("unexpected end of data"), so NULs are found before the tokener sees
 *    them.
 *  - unescaped control characters inside strings are accepted even in
 *    strict mode, and "\u0000" yields a string with an embedded NUL; both
 *    are refused in the strings the reader copies.
 *  - NaN and Infinity are accepted even in strict mode; they are doubles
 *    and fail the integer checks.
 *  - strict mode still takes single-quoted object keys ({'schema': 1});
 *    single-quoted values, comments and trailing commas it refuses.
 *  - nesting deeper than the tokener depth (32) fails cleanly with
 *    "nesting too deep" at the 33rd opening bracket.
 *  - json_object_object_add() leaks its copy of the key when the table
 *    insert fails (see pp_json_put()); and the tokener itself crashes on some
 *    allocation failures, which no caller can work around.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "snapshot/reader.h"
#include "snapshot/snapshot.h"

static int read_notes(struct rd *c, struct json_object *root,
		      struct pp_topology *t)
{
	char path[PATH_LEN];
	struct json_object *a;
	size_t i, n;
	int rc;

	rc = rd_get_typed(c, root, "", "notes", json_type_array, 0, &a);
	if (rc || !a)
		return rc;
	n = json_object_array_length(a);
	if (n > MAX_NOTES)
		return rd_fail(c, "notes: too many entries (max %d)",
			       MAX_NOTES);
	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(a, i);
		int len, j;
		const char *s;

		snprintf(path, sizeof(path), "notes[%zu]", i);
		if (!json_object_is_type(e, json_type_string))
			return rd_bad_type(c, path, "a string", e);
		s = json_object_get_string(e);
		len = json_object_get_string_len(e);
		if (len > MAX_NOTE_LEN)
			return rd_fail(c, "%s: string too long (%d bytes, max %d)",
				       path, len, MAX_NOTE_LEN);
		j = rd_control_char(s, len);
		if (j >= 0)
			return rd_fail(c, "%s: control character in string at offset %d",
				       path, j);
		if (pp_topology_note(t, "%s", s))
			return rd_nomem(c);
	}
	return 0;
}

/*
 * An optional top-level array of objects (key), at most max entries, each
 * read by one(c, entry, index, t).
 */
static int read_array(struct rd *c, struct json_object *root,
		      struct pp_topology *t, const char *key, size_t max,
		      int (*one)(struct rd *, struct json_object *,
				 unsigned int, struct pp_topology *))
{
	struct json_object *a;
	size_t i, n;
	int rc;

	rc = rd_get_typed(c, root, "", key, json_type_array, 0, &a);
	if (rc || !a)
		return rc;
	n = json_object_array_length(a);
	if (n > max)
		return rd_fail(c, "%s: too many entries (max %zu)", key, max);
	for (i = 0; !rc && i < n; i++) {
		struct json_object *e = json_object_array_get_idx(a, i);
		char path[PATH_LEN];

		snprintf(path, sizeof(path), "%s[%zu]", key, i);
		if (!json_object_is_type(e, json_type_object))
			return rd_bad_type(c, path, "an object", e);
		rc = one(c, e, (unsigned int)i, t);
	}
	return rc;
}

/* cxl_regions[i]: absent from documents of before CXL support */
static int read_cxl(struct rd *c, struct json_object *e, unsigned int i,
		    struct pp_topology *t)
{
	struct pp_cxl_region *x = pp_topology_add_cxl(t);
	unsigned int j;
	int rc;

	if (!x)
		return rd_nomem(c);
	rc = rd_read_cxl_region(c, e, i, x);
	if (rc)
		return rc;
	for (j = 0; j < i; j++)
		if (!strcmp(t->cxl[j].dev, x->dev))
			return rd_fail(c, "cxl_regions[%u].dev: \"%s\" twice (also cxl_regions[%u])",
				       i, x->dev, j);
	return 0;
}

/* cxl_free[i]: absent from documents of before it and where none is free */
static int read_cxl_free(struct rd *c, struct json_object *e, unsigned int i,
			 struct pp_topology *t)
{
	struct pp_cxl_free *f = pp_topology_add_cxl_free(t);

	return f ? rd_read_cxl_free(c, e, i, f) : rd_nomem(c);
}

static int read_document(struct rd *c, struct json_object *root,
			 struct pp_topology *t)
{
	struct json_object *v, *a;
	char g[GOT_LEN];
	size_t i, n;
	int rc;

	if (!json_object_is_type(root, json_type_object))
		return rd_fail(c, "not a pmemplan snapshot: expected a JSON object, got %s (expected the output of pmemplan show --json)",
			       rd_got(root, g));
	if (!rd_lookup(root, "schema", &v))
		return rd_fail(c, "not a pmemplan snapshot: no \"schema\" key (expected the output of pmemplan show --json)");
	if (!json_object_is_type(v, json_type_int))
		return rd_bad_type(c, "schema", "an integer", v);
	if (json_object_get_int64(v) != PP_SCHEMA)
		return rd_fail(c, "unsupported schema %s: this pmemplan reads schema %d",
			       rd_got(v, g), PP_SCHEMA);

	rc = rd_get_typed(c, root, "", "platform", json_type_object, REQ, &v);
	if (!rc)
		rc = rd_read_platform(c, v, &t->plat);
	if (!rc)
		rc = rd_get_typed(c, root, "", "regions", json_type_array, REQ,
				  &a);
	if (rc)
		return rc;
	n = json_object_array_length(a);
	if (n > MAX_REGIONS)
		return rd_fail(c, "regions: too many entries (max %d)",
			       MAX_REGIONS);
	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(a, i);
		struct pp_region *r;
		char path[PATH_LEN];

		snprintf(path, sizeof(path), "regions[%zu]", i);
		if (!json_object_is_type(e, json_type_object))
			return rd_bad_type(c, path, "an object", e);
		r = pp_topology_add_region(t);
		if (!r)
			return rd_nomem(c);
		rc = rd_read_region(c, e, (unsigned int)i, r);
		if (rc)
			return rc;
	}
	rc = read_array(c, root, t, "cxl_regions", MAX_REGIONS, read_cxl);
	if (!rc)
		rc = read_array(c, root, t, "cxl_free", PP_CXL_MAX_FREE,
				read_cxl_free);
	if (!rc)
		rc = rd_check_dups(c, t, NAME_REGION);
	if (!rc)
		rc = rd_check_dups(c, t, NAME_NS);
	if (!rc)
		rc = rd_check_dups(c, t, NAME_DAX);
	if (!rc)
		rc = read_notes(c, root, t);
	return rc;
}

/* Convert a parsed tree; t is untouched unless this succeeds. */
static int finish(struct rd *c, struct rd_feed *f, int rc,
		  struct pp_topology *t)
{
	struct pp_topology tmp = { 0 };

	rd_init_platform(&tmp.plat);
	if (!rc)
		rc = rd_feed_end(f);
	if (!rc)
		rc = read_document(c, f->root, &tmp);
	rd_feed_fini(f);
	if (rc) {
		pp_topology_free(&tmp);
		memset(t, 0, sizeof(*t));
		return rc;
	}
	*t = tmp;
	if (c->errlen)
		c->err[0] = '\0';
	return 0;
}

int pp_snapshot_parse(const char *text, size_t len, struct pp_topology *t,
		      char *err, size_t errlen)
{
	struct rd c = { err, errlen };
	struct rd_feed f;
	int rc;

	memset(t, 0, sizeof(*t));
	rc = rd_feed_init(&f, &c);
	if (rc)
		return rc;
	rc = rd_feed(&f, text, len);
	return finish(&c, &f, rc, t);
}

int pp_snapshot_read(FILE *in, struct pp_topology *t, char *err,
		     size_t errlen)
{
	return pp_snapshot_read_rest(NULL, 0, in, t, err, errlen);
}

int pp_snapshot_read_rest(const char *head, size_t headlen, FILE *in,
			  struct pp_topology *t, char *err, size_t errlen)
{
	struct rd c = { err, errlen };
	struct rd_feed f;
	size_t n;
	char *buf;
	int rc;

	memset(t, 0, sizeof(*t));
	buf = malloc(READ_CHUNK);
	if (!buf)
		return rd_nomem(&c);
	rc = rd_feed_init(&f, &c);
	if (rc)
		goto out;
	if (headlen)
		rc = rd_feed(&f, head, headlen);
	while (!rc && (n = fread(buf, 1, READ_CHUNK, in)) > 0)
		rc = rd_feed(&f, buf, n);
	if (!rc && ferror(in))
		rc = rd_fail_rc(&c, -EIO, "read error: %s", strerror(errno));
	rc = finish(&c, &f, rc, t);
out:
	free(buf);
	return rc;
}

/*
 * JSON Lines (one document a line) or one document over many lines, told
 * apart by the first line: "show --json" pretty-prints, so its first line
 * is a lone "{"; a line that is a whole JSON value starts JSON Lines.
 */
bool pp_snapshot_whole_line(const char *line, size_t len)
{
	struct json_tokener *tok;
	struct json_object *v;
	bool whole = false;
	size_t end;

	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (!len || len > INPUT_MAX || memchr(line, '\0', len))
		return false;
	tok = json_tokener_new();
	if (!tok)
		return false;
	v = json_tokener_parse_ex(tok, line, (int)len);
	if (v && json_tokener_get_error(tok) == json_tokener_success) {
		end = json_tokener_get_parse_end(tok);
		while (end < len && (line[end] == ' ' || line[end] == '\t'))
			end++;
		whole = end == len;
	}
	json_object_put(v);
	json_tokener_free(tok);
	return whole;
}
