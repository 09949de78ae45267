// SPDX-License-Identifier: GPL-2.0
/*
 * The typed readers of the snapshot: each takes one member of a JSON
 * object, checks its type and range, and on failure writes one line that
 * names its JSON path and what was found ("regions[0].size: expected a
 * non-negative integer, got -5").
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "model/model.h"
#include "snapshot/reader.h"

int __attribute__((format(printf, 3, 4)))
rd_fail_rc(struct rd *c, int rc, const char *fmt, ...)
{
	va_list ap;

	if (c->errlen) {
		va_start(ap, fmt);
		vsnprintf(c->err, c->errlen, fmt, ap);
		va_end(ap);
	}
	return rc;
}

int rd_nomem(struct rd *c)
{
	return rd_fail_rc(c, -ENOMEM, "out of memory reading the snapshot");
}

/* ("platform", "page_size") -> "platform.page_size"; ("", "x") -> "x" */
const char *rd_join_path(char *buf, size_t size, const char *parent,
			 const char *key)
{
	snprintf(buf, size, "%s%s%s", parent, *parent ? "." : "", key);
	return buf;
}

/*
 * A short one-line rendering of a value for "got ...": strings are quoted
 * and escaped by json-c (so control characters cannot break the line) and
 * cut at 40 bytes on a UTF-8 boundary.
 */
const char *rd_got(struct json_object *v, char *buf)
{
	struct json_object *cut;
	const char *s;
	int len;

	switch (json_object_get_type(v)) {
	case json_type_null:
		return "null";
	case json_type_object:
		return "an object";
	case json_type_array:
		return "an array";
	case json_type_string:
		s = json_object_get_string(v);
		len = json_object_get_string_len(v);
		if (len <= 40) {
			snprintf(buf, GOT_LEN, "%s",
				 json_object_to_json_string_ext(v,
					JSON_C_TO_STRING_NOSLASHESCAPE));
			return buf;
		}
		len = 40;
		while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
			len--;
		cut = json_object_new_string_len(s, len);
		if (!cut)
			return "a long string";
		snprintf(buf, GOT_LEN, "%s...",
			 json_object_to_json_string_ext(cut,
				JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(cut);
		return buf;
	default:
		snprintf(buf, GOT_LEN, "%s", json_object_to_json_string(v));
		return buf;
	}
}

int rd_bad_type(struct rd *c, const char *path, const char *what,
		struct json_object *v)
{
	char g[GOT_LEN];

	return rd_fail(c, "%s: expected %s, got %s", path, what, rd_got(v, g));
}

int rd_missing(struct rd *c, const char *path)
{
	return rd_fail(c, "%s: required key is missing", path);
}

/* true if key is present; *v is then NULL for JSON null */
bool rd_lookup(struct json_object *o, const char *key,
	       struct json_object **v)
{
	*v = NULL;
	return json_object_object_get_ex(o, key, v);
}

/*
 * A non-negative integer that fits in 64 bits.  json-c clamps what does
 * not fit, so UINT64_MAX (which would also read as PP_UNKNOWN) and
 * INT64_MIN are the traces of an overflow.
 */
int rd_as_u64(struct rd *c, const char *path, struct json_object *v,
	      uint64_t *out)
{
	int64_t i;
	uint64_t u;

	if (!json_object_is_type(v, json_type_int))
		return rd_bad_type(c, path, "a non-negative integer", v);
	i = json_object_get_int64(v);
	if (i == INT64_MIN)
		return rd_fail(c, "%s: expected a non-negative integer, got a negative number",
			       path);
	if (i < 0)
		return rd_fail(c, "%s: expected a non-negative integer, got %" PRId64,
			       path, i);
	u = json_object_get_uint64(v);
	if (u == UINT64_MAX)
		return rd_fail(c, "%s: integer too large (max %" PRIu64 ")",
			       path, UINT64_MAX - 1);
	*out = u;
	return 0;
}

/* A byte count or address; missing or null is PP_UNKNOWN. */
int rd_get_u64(struct rd *c, struct json_object *o, const char *parent,
	       const char *key, unsigned int flags, uint64_t *out)
{
	char path[PATH_LEN];
	struct json_object *v;
	bool present = rd_lookup(o, key, &v);

	*out = PP_UNKNOWN;
	if (!v) {
		if (!present && (flags & REQ))
			return rd_missing(c, rd_join(path, parent, key));
		if (flags & REQ)
			return rd_bad_type(c, rd_join(path, parent, key),
					   "a non-negative integer", v);
		return 0;
	}
	/* the path is built only for an error: snapshots can be large */
	if (json_object_is_type(v, json_type_int) &&
	    json_object_get_int64(v) >= 0 &&
	    json_object_get_uint64(v) != UINT64_MAX) {
		*out = json_object_get_uint64(v);
		return 0;
	}
	return rd_as_u64(c, rd_join(path, parent, key), v, out);
}

/* A small signed integer in [min, max]; missing or null gives def. */
int rd_get_int(struct rd *c, struct json_object *o, const char *parent,
	       const char *key, int min, int max, int def, int *out)
{
	char path[PATH_LEN], g[GOT_LEN];
	struct json_object *v;
	int64_t i;

	*out = def;
	rd_lookup(o, key, &v);
	if (!v)
		return 0;
	rd_join(path, parent, key);
	if (!json_object_is_type(v, json_type_int))
		return rd_fail(c, "%s: expected an integer from %d to %d, got %s",
			       path, min, max, rd_got(v, g));
	/* a uint64 above INT64_MAX reads as INT64_MAX: out of range too */
	i = json_object_get_int64(v);
	if (i < min || i > max)
		return rd_fail(c, "%s: expected an integer from %d to %d, got %s",
			       path, min, max, rd_got(v, g));
	*out = (int)i;
	return 0;
}

/* Missing or null is false: the conservative reading of every flag. */
int rd_get_bool(struct rd *c, struct json_object *o, const char *parent,
		const char *key, bool *out)
{
	char path[PATH_LEN];
	struct json_object *v;

	*out = false;
	rd_lookup(o, key, &v);
	if (!v)
		return 0;
	if (!json_object_is_type(v, json_type_boolean))
		return rd_bad_type(c, rd_join(path, parent, key),
				   "true or false", v);
	*out = json_object_get_boolean(v);
	return 0;
}

int rd_control_char(const char *s, int len)
{
	int i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return i;
	return -1;
}

/*
 * A string value, checked to be copyable: no embedded NUL (json-c allows
 * "\u0000") and no control characters, which would break the one-line
 * human output and error messages.  *out is NULL for missing or null.
 */
int rd_get_string(struct rd *c, struct json_object *o, const char *parent,
		  const char *key, unsigned int flags, const char **out)
{
	char path[PATH_LEN];
	struct json_object *v;
	bool present = rd_lookup(o, key, &v);
	const char *s;
	int len, i;

	*out = NULL;
	if (!v) {
		if (!present && (flags & REQ))
			return rd_missing(c, rd_join(path, parent, key));
		if (flags & REQ)
			return rd_bad_type(c, rd_join(path, parent, key),
					   "a string", v);
		return 0;
	}
	if (!json_object_is_type(v, json_type_string))
		return rd_bad_type(c, rd_join(path, parent, key),
				   "a string", v);
	s = json_object_get_string(v);
	len = json_object_get_string_len(v);
	i = rd_control_char(s, len);
	if (i >= 0)
		return rd_fail(c, "%s: control character in string at offset %d",
			       rd_join(path, parent, key), i);
	if ((flags & NONEMPTY) && !len)
		return rd_fail(c, "%s: expected a non-empty string",
			       rd_join(path, parent, key));
	*out = s;
	return 0;
}

/* A string into a fixed buffer: refused, not truncated, when too long. */
int rd_get_buf(struct rd *c, struct json_object *o, const char *parent,
	       const char *key, unsigned int flags, char *buf, size_t size)
{
	char path[PATH_LEN];
	const char *s;
	size_t len;
	int rc;

	buf[0] = '\0';
	rc = rd_get_string(c, o, parent, key, flags, &s);
	if (rc || !s)
		return rc;
	len = strlen(s);
	if (len >= size)
		return rd_fail(c, "%s: string too long (%zu bytes, max %zu)",
			       rd_join(path, parent, key), len, size - 1);
	memcpy(buf, s, len + 1);
	return 0;
}

/*
 * Optional object or array member.  Missing and null both give NULL.
 */
int rd_get_typed(struct rd *c, struct json_object *o, const char *parent,
		 const char *key, enum json_type type, unsigned int flags,
		 struct json_object **out)
{
	char path[PATH_LEN];
	bool present = rd_lookup(o, key, out);

	rd_join(path, parent, key);
	if (!*out) {
		if (!present && (flags & REQ))
			return rd_missing(c, path);
		if (flags & REQ)
			return rd_bad_type(c, path, type == json_type_array ?
					   "an array" : "an object", *out);
		return 0;
	}
	if (!json_object_is_type(*out, type)) {
		int rc = rd_bad_type(c, path, type == json_type_array ?
				     "an array" : "an object", *out);

		*out = NULL;
		return rc;
	}
	return 0;
}

/*
 * Look a name up in its table (topology.c, the one source of the names);
 * an unknown one is refused with the list of the valid ones.
 */
int rd_get_enum(struct rd *c, struct json_object *o, const char *parent,
		const char *key, unsigned int flags,
		const struct pp_name_table *e, int def, int *out)
{
	char path[PATH_LEN], list[128], g[GOT_LEN];
	struct json_object *v;
	const char *s;
	int rc, val;

	*out = def;
	rc = rd_get_string(c, o, parent, key, flags, &s);
	if (rc || !s)
		return rc;
	val = pp_name_find(e, s);
	if (val >= 0) {
		*out = val;
		return 0;
	}
	rd_lookup(o, key, &v);
	pp_name_list(e, list, sizeof(list));
	return rd_fail(c, "%s: unknown %s %s (expected %s)",
		       rd_join(path, parent, key), e->what, rd_got(v, g), list);
}

/* Sizes the kernel requires to be powers of two (alignments, pages). */
int rd_check_pow2(struct rd *c, const char *path, uint64_t v)
{
	if (v == PP_UNKNOWN || pp_is_pow2(v))
		return 0;
	return rd_fail(c, "%s: expected a power of two, got %" PRIu64, path, v);
}
