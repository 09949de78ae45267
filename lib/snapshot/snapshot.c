// SPDX-License-Identifier: GPL-2.0
/*
 * Topology <-> JSON: the facts of a "show --json" document (schema
 * PP_SCHEMA) and the reader that takes such a document back for --input.
 *
 * The writer emits facts only; output.c adds the computed keys to the same
 * objects.  The reader validates the whole document before anything uses
 * it: a snapshot may come from another machine, another pmemplan or a text
 * editor, and every number in it ends up in address arithmetic, so a bad
 * value must stop here with one line naming its JSON path rather than
 * surface later as an underflow in the planner.
 *
 * json-c quirks this file works around (json-c 0.16):
 *  - integers beyond 64 bits are clamped, not rejected, even with
 *    JSON_TOKENER_STRICT: 2^64 and above read as UINT64_MAX, below -2^63 as
 *    INT64_MIN, and the getters do not set errno.  UINT64_MAX is also
 *    PP_UNKNOWN, so it is refused as a value.
 *  - a raw NUL byte ends the input as far as the tokener is concerned
 *    ("unexpected end of data"), so NULs are found before the tokener sees
 *    them.
 *  - unescaped control characters inside strings are accepted even in
 *    strict mode, and "\u0000" yields a string with an embedded NUL; both
 *    are refused in the strings this file copies.
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
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "model/model.h"
#include "snapshot/json_put.h"
#include "snapshot/snapshot.h"
#include "util/util.h"

/* Sanity caps: far above any real machine, low enough to bound memory. */
#define MAX_REGIONS		4096
#define MAX_NAMESPACES		4096	/* per region */
#define MAX_NOTES		4096
#define MAX_NOTE_LEN		4096
#define MAX_FWMAP		4096	/* > E820_MAX_ENTRIES (3200) */
#define INPUT_MAX		(64u << 20)
#define MAX_WAYS		64	/* ND_MAX_MAPPINGS is 32: room */
#define MAX_NODE		65535
#define MAX_PAGEBLOCK_ORDER	20
#define MIN_PAGE_SIZE		4096
#define MAX_PAGE_SIZE		65536

/*
 * The tokener's nesting limit (json-c's default).  A show document nests
 * about 7 deep; the limit is what stops 10 MB of '[' from recursing.
 */
#define JSON_DEPTH		32
#define STR(x)			STR_(x)
#define STR_(x)			#x
#define READ_CHUNK		65536

/* "regions[4095].namespaces[4095]", then ".dax.memmap_on_memory" */
#define ELEM_LEN		64
#define PATH_LEN		128
#define GOT_LEN			64


/* ------------------------------------------------------------------ */
/* Writer                                                              */
/* ------------------------------------------------------------------ */

/*
 * A fact and its entry in the "source" map.  An unknown value is written
 * with source "unknown" whatever src says, so that reading the document
 * back (null -> PP_SRC_NONE) gives the same bytes.
 */
static int put_fact(struct json_object *o, struct json_object *src,
		    const char *key, const struct pp_fact *f)
{
	enum pp_source s = f->value == PP_UNKNOWN ? PP_SRC_NONE : f->src;

	if (pp_json_put_u64(o, key, f->value))
		return -ENOMEM;
	return pp_json_put_str(src, key, pp_source_name(s));
}

static int put_alignments(struct json_object *o, const struct pp_platform *p)
{
	struct json_object *a, *v;
	unsigned int i, n = p->nr_supported_align;

	if (!n)
		return pp_json_put(o, "supported_alignments", NULL, true);
	if (n > PP_MAX_ALIGNMENTS)
		n = PP_MAX_ALIGNMENTS;
	a = json_object_new_array();
	if (!a)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		v = pp_json_u64(p->supported_align[i]);
		if (!v && p->supported_align[i] != PP_UNKNOWN)
			goto nomem;
		if (json_object_array_add(a, v)) {
			json_object_put(v);
			goto nomem;
		}
	}
	return pp_json_put(o, "supported_alignments", a, false);
nomem:
	json_object_put(a);
	return -ENOMEM;
}

/* Always an array, [] where the kernel has no /sys/firmware/memmap. */
static int put_fwmap(struct json_object *o, const struct pp_platform *p)
{
	struct json_object *a, *e;
	unsigned int i;

	a = json_object_new_array();
	if (!a)
		return -ENOMEM;
	for (i = 0; i < p->nr_fwmap; i++) {
		const struct pp_fw_range *f = &p->fwmap[i];

		e = json_object_new_object();
		if (!e)
			goto nomem;
		if (pp_json_put_u64(e, "start", f->start) ||
		    pp_json_put_u64(e, "end", f->end) ||
		    pp_json_put_str(e, "type", f->type) ||
		    json_object_array_add(a, e)) {
			json_object_put(e);
			goto nomem;
		}
	}
	return pp_json_put(o, "firmware_memmap", a, false);
nomem:
	json_object_put(a);
	return -ENOMEM;
}

struct json_object *pp_snapshot_platform(const struct pp_platform *p)
{
	struct json_object *o, *src;
	bool arch = p->arch != PP_ARCH_UNKNOWN;
	bool kernel = p->kernel[0] != '\0' || p->kver;
	char ver[16] = "";
	/* the enum has no "unknown": PP_SRC_NONE marks it */
	bool mom = p->memmap_on_memory_src != PP_SRC_NONE;

	if (p->kver)
		snprintf(ver, sizeof(ver), "%u.%u.%u", p->kver >> 16,
			 (p->kver >> 8) & 0xff, p->kver & 0xff);
	o = json_object_new_object();
	if (!o)
		return NULL;
	src = json_object_new_object();
	if (!src)
		goto err;
	if (pp_json_put_str(o, "arch", arch ? pp_arch_name(p->arch) : NULL) ||
	    pp_json_put_str(src, "arch", pp_source_name(arch ? p->arch_src :
							  PP_SRC_NONE)) ||
	    pp_json_put_str(o, "kernel", p->kernel) ||
	    pp_json_put_str(o, "kernel_version", ver) ||
	    pp_json_put_str(src, "kernel", pp_source_name(kernel ? p->kver_src :
							      PP_SRC_NONE)) ||
	    put_fact(o, src, "page_size", &p->page_size) ||
	    put_fact(o, src, "section_size", &p->section_size) ||
	    put_fact(o, src, "block_size", &p->block_size) ||
	    put_fact(o, src, "pageblock_order", &p->pageblock_order) ||
	    put_fact(o, src, "struct_page_size", &p->struct_page_size) ||
	    put_fact(o, src, "compat_align", &p->compat_align) ||
	    put_fact(o, src, "hpage_pmd_size", &p->hpage_pmd_size) ||
	    put_alignments(o, p) ||
	    pp_json_put_str(o, "memmap_on_memory",
		    mom ? pp_mom_name(p->memmap_on_memory) : NULL) ||
	    pp_json_put_str(src, "memmap_on_memory",
		    pp_source_name(p->memmap_on_memory_src)) ||
	    pp_json_put_str(o, "auto_online_blocks", p->auto_online_blocks) ||
	    put_fact(o, src, "mem_total", &p->mem_total) ||
	    put_fact(o, src, "mem_available", &p->mem_available) ||
	    put_fact(o, src, "numa_nodes", &p->nr_nodes) ||
	    pp_json_put_bool(o, "root", p->is_root) ||
	    put_fwmap(o, p))
		goto err_src;
	/* last, so that a reader of the text sees the facts first */
	if (pp_json_put(o, "source", src, false))
		goto err;
	return o;

err_src:
	json_object_put(src);
err:
	json_object_put(o);
	return NULL;
}

struct json_object *pp_snapshot_region(const struct pp_region *r)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	if (pp_json_put_str(o, "dev", r->dev) ||
	    pp_json_put_str(o, "kind", pp_region_kind_name(r->kind)) ||
	    pp_json_put_u64(o, "resource", r->start) ||
	    pp_json_put_u64(o, "size", r->size) ||
	    pp_json_put_u64(o, "align", r->align) ||
	    pp_json_put_int(o, "interleave_ways", (int)r->ways) ||
	    pp_json_put_bool(o, "labelled", r->labelled) ||
	    pp_json_put_bool(o, "label_capable", r->label_capable) ||
	    pp_json_put_bool(o, "enabled", r->enabled) ||
	    pp_json_put_bool(o, "readonly", r->readonly) ||
	    pp_json_put_int(o, "numa_node", r->numa_node) ||
	    pp_json_put_int(o, "target_node", r->target_node) ||
	    pp_json_put_u64(o, "available_size", r->available_size) ||
	    pp_json_put_u64(o, "max_available_extent", r->max_available_extent)) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* -1: the dax attribute does not exist on this kernel (< v6.8) */
static int put_mom(struct json_object *o, int mom)
{
	if (mom < 0)
		return pp_json_put(o, "memmap_on_memory", NULL, true);
	return pp_json_put_int(o, "memmap_on_memory", mom);
}

struct json_object *pp_snapshot_dax(const struct pp_dax *d)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	if (pp_json_put_str(o, "chardev", d->dev) ||
	    pp_json_put_str(o, "mode", pp_dax_mode_name(d->mode)) ||
	    pp_json_put_u64(o, "resource", d->start) ||
	    pp_json_put_u64(o, "size", d->size) ||
	    pp_json_put_u64(o, "align", d->align) ||
	    pp_json_put_int(o, "target_node", d->target_node) ||
	    put_mom(o, d->memmap_on_memory) ||
	    pp_json_put_u64(o, "online_memblocks", d->online_blocks) ||
	    pp_json_put_u64(o, "total_memblocks", d->total_blocks) ||
	    pp_json_put_str(o, "zone", d->zone)) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/*
 * null: nobody looked (not root, no block device, or claimed); "": looked
 * and found nothing.  pp_json_put_str() would write null for both.
 */
static int put_signature(struct json_object *o, const struct pp_namespace *ns)
{
	if (!ns->sig_probed)
		return pp_json_put(o, "signature", NULL, true);
	return pp_json_put(o, "signature", json_object_new_string(ns->signature),
		   false);
}

struct json_object *pp_snapshot_namespace(const struct pp_namespace *ns)
{
	struct json_object *o = json_object_new_object();
	struct json_object *dax;
	bool mode = ns->mode != PP_MODE_UNKNOWN;
	bool map = ns->map != PP_MAP_NONE;

	if (!o)
		return NULL;
	if (pp_json_put_str(o, "dev", ns->dev) ||
	    pp_json_put_str(o, "mode", mode ? pp_mode_name(ns->mode) : NULL) ||
	    pp_json_put_str(o, "map", map ? pp_map_name(ns->map) : NULL) ||
	    pp_json_put_u64(o, "align", ns->align) ||
	    pp_json_put_u64(o, "resource", ns->start) ||
	    pp_json_put_u64(o, "size", ns->size) ||
	    pp_json_put_u64(o, "dataoff", ns->dataoff) ||
	    pp_json_put_str(o, "uuid", ns->uuid) ||
	    pp_json_put_str(o, "name", ns->name) ||
	    pp_json_put_bool(o, "enabled", ns->enabled) ||
	    pp_json_put_bool(o, "claimed", ns->claimed) ||
	    put_signature(o, ns) ||
	    pp_json_put_bool(o, "busy", ns->busy))
		goto err;
	if (ns->dax) {
		dax = pp_snapshot_dax(ns->dax);
		if (pp_json_put(o, "dax", dax, false))
			goto err;
	}
	return o;
err:
	json_object_put(o);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Reader: messages and JSON access                                    */
/* ------------------------------------------------------------------ */

struct rd {
	char *err;
	size_t errlen;
};

static int __attribute__((format(printf, 3, 4)))
fail_rc(struct rd *c, int rc, const char *fmt, ...)
{
	va_list ap;

	if (c->errlen) {
		va_start(ap, fmt);
		vsnprintf(c->err, c->errlen, fmt, ap);
		va_end(ap);
	}
	return rc;
}

#define fail(c, ...) fail_rc(c, -EINVAL, __VA_ARGS__)

static int nomem(struct rd *c)
{
	return fail_rc(c, -ENOMEM, "out of memory reading the snapshot");
}

/* ("platform", "page_size") -> "platform.page_size"; ("", "x") -> "x" */
static const char *join_path(char *buf, size_t size, const char *parent,
			     const char *key)
{
	snprintf(buf, size, "%s%s%s", parent, *parent ? "." : "", key);
	return buf;
}

#define join(buf, parent, key) join_path(buf, sizeof(buf), parent, key)

/*
 * A short one-line rendering of a value for "got ...": strings are quoted
 * and escaped by json-c (so control characters cannot break the line) and
 * cut at 40 bytes on a UTF-8 boundary.
 */
static const char *got(struct json_object *v, char *buf)
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

static int bad_type(struct rd *c, const char *path, const char *what,
		    struct json_object *v)
{
	char g[GOT_LEN];

	return fail(c, "%s: expected %s, got %s", path, what, got(v, g));
}

static int missing(struct rd *c, const char *path)
{
	return fail(c, "%s: required key is missing", path);
}

/* true if key is present; *v is then NULL for JSON null */
static bool lookup(struct json_object *o, const char *key,
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
static int as_u64(struct rd *c, const char *path, struct json_object *v,
		  uint64_t *out)
{
	int64_t i;
	uint64_t u;

	if (!json_object_is_type(v, json_type_int))
		return bad_type(c, path, "a non-negative integer", v);
	i = json_object_get_int64(v);
	if (i == INT64_MIN)
		return fail(c, "%s: expected a non-negative integer, got a negative number",
			    path);
	if (i < 0)
		return fail(c, "%s: expected a non-negative integer, got %" PRId64,
			    path, i);
	u = json_object_get_uint64(v);
	if (u == UINT64_MAX)
		return fail(c, "%s: integer too large (max %" PRIu64 ")",
			    path, UINT64_MAX - 1);
	*out = u;
	return 0;
}

/* every architecture with pmem has pages of at least 4 KiB */
#define SNAP_MIN_PAGE 4096ULL

#define REQ	0x1	/* key must be present and not null */
#define NONEMPTY 0x2	/* string must not be "" */

/* A byte count or address; missing or null is PP_UNKNOWN. */
static int get_u64(struct rd *c, struct json_object *o, const char *parent,
		   const char *key, unsigned int flags, uint64_t *out)
{
	char path[PATH_LEN];
	struct json_object *v;
	bool present = lookup(o, key, &v);

	*out = PP_UNKNOWN;
	if (!v) {
		if (!present && (flags & REQ))
			return missing(c, join(path, parent, key));
		if (flags & REQ)
			return bad_type(c, join(path, parent, key),
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
	return as_u64(c, join(path, parent, key), v, out);
}

/* A small signed integer in [min, max]; missing or null gives def. */
static int get_int(struct rd *c, struct json_object *o, const char *parent,
		   const char *key, int min, int max, int def, int *out)
{
	char path[PATH_LEN], g[GOT_LEN];
	struct json_object *v;
	int64_t i;

	*out = def;
	lookup(o, key, &v);
	if (!v)
		return 0;
	join(path, parent, key);
	if (!json_object_is_type(v, json_type_int))
		return fail(c, "%s: expected an integer from %d to %d, got %s",
			    path, min, max, got(v, g));
	/* a uint64 above INT64_MAX reads as INT64_MAX: out of range too */
	i = json_object_get_int64(v);
	if (i < min || i > max)
		return fail(c, "%s: expected an integer from %d to %d, got %s",
			    path, min, max, got(v, g));
	*out = (int)i;
	return 0;
}

/* Missing or null is false: the conservative reading of every flag. */
static int get_bool(struct rd *c, struct json_object *o, const char *parent,
		    const char *key, bool *out)
{
	char path[PATH_LEN];
	struct json_object *v;

	*out = false;
	lookup(o, key, &v);
	if (!v)
		return 0;
	if (!json_object_is_type(v, json_type_boolean))
		return bad_type(c, join(path, parent, key), "true or false", v);
	*out = json_object_get_boolean(v);
	return 0;
}

/*
 * A string value, checked to be copyable: no embedded NUL (json-c allows
 * "\u0000") and no control characters, which would break the one-line
 * human output and error messages.  *out is NULL for missing or null.
 */
static int get_string(struct rd *c, struct json_object *o, const char *parent,
		      const char *key, unsigned int flags, const char **out)
{
	char path[PATH_LEN];
	struct json_object *v;
	bool present = lookup(o, key, &v);
	const char *s;
	int len, i;

	*out = NULL;
	if (!v) {
		if (!present && (flags & REQ))
			return missing(c, join(path, parent, key));
		if (flags & REQ)
			return bad_type(c, join(path, parent, key), "a string",
					v);
		return 0;
	}
	if (!json_object_is_type(v, json_type_string))
		return bad_type(c, join(path, parent, key), "a string", v);
	s = json_object_get_string(v);
	len = json_object_get_string_len(v);
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return fail(c, "%s: control character in string at offset %d",
				    join(path, parent, key), i);
	if ((flags & NONEMPTY) && !len)
		return fail(c, "%s: expected a non-empty string",
			    join(path, parent, key));
	*out = s;
	return 0;
}

/* A string into a fixed buffer: refused, not truncated, when too long. */
static int get_buf(struct rd *c, struct json_object *o, const char *parent,
		   const char *key, unsigned int flags, char *buf, size_t size)
{
	char path[PATH_LEN];
	const char *s;
	size_t len;
	int rc;

	buf[0] = '\0';
	rc = get_string(c, o, parent, key, flags, &s);
	if (rc || !s)
		return rc;
	len = strlen(s);
	if (len >= size)
		return fail(c, "%s: string too long (%zu bytes, max %zu)",
			    join(path, parent, key), len, size - 1);
	memcpy(buf, s, len + 1);
	return 0;
}

/*
 * Optional object or array member.  Missing and null both give NULL.
 */
static int get_typed(struct rd *c, struct json_object *o, const char *parent,
		     const char *key, enum json_type type, unsigned int flags,
		     struct json_object **out)
{
	char path[PATH_LEN];
	bool present = lookup(o, key, out);

	join(path, parent, key);
	if (!*out) {
		if (!present && (flags & REQ))
			return missing(c, path);
		if (flags & REQ)
			return bad_type(c, path, type == json_type_array ?
					"an array" : "an object", *out);
		return 0;
	}
	if (!json_object_is_type(*out, type)) {
		int rc = bad_type(c, path, type == json_type_array ?
				  "an array" : "an object", *out);

		*out = NULL;
		return rc;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Reader: names                                                       */
/* ------------------------------------------------------------------ */

/*
 * The name tables live in topology.c; these adapt them to one shape so that
 * one function can check a name and list the valid ones.  Each *_from_name
 * returns its zero value (or -1) for a name it does not know.
 */
struct enum_desc {
	const char *what;
	const char *(*name)(unsigned int v);
	int (*from)(const char *s);
};

#define ENUM_DESC(id, what, type, name_fn, from_fn)			\
static const char *id##_nm(unsigned int v)				\
{									\
	return name_fn((type)v);					\
}									\
static int id##_from(const char *s)					\
{									\
	return (int)from_fn(s);						\
}									\
static const struct enum_desc id##_desc = { what, id##_nm, id##_from }

ENUM_DESC(arch, "architecture", enum pp_arch, pp_arch_name,
	  pp_arch_from_name);
ENUM_DESC(mode, "mode", enum pp_ns_mode, pp_mode_name, pp_mode_from_name);
ENUM_DESC(map, "map", enum pp_map, pp_map_name, pp_map_from_name);
ENUM_DESC(dax, "dax mode", enum pp_dax_mode, pp_dax_mode_name,
	  pp_dax_mode_from_name);
ENUM_DESC(mom, "memmap_on_memory value", enum pp_mom_param, pp_mom_name,
	  pp_mom_from_name);
ENUM_DESC(kind, "region kind", enum pp_region_kind, pp_region_kind_name,
	  pp_region_kind_from_name);

/* "raw, fsdax, devdax or sector": every name but the "unknown" fallback */
static void list_names(const struct enum_desc *e, char *buf, size_t size)
{
	const char *names[16];
	unsigned int v, n = 0, i;
	size_t off = 0;

	for (v = 0; v < ARRAY_SIZE(names) && n < ARRAY_SIZE(names); v++) {
		const char *s = e->name(v);

		if (!strcmp(s, "unknown")) {
			if (v == 0)
				continue;
			break;
		}
		names[n++] = s;
	}
	buf[0] = '\0';
	for (i = 0; i < n && off < size; i++) {
		const char *sep = !i ? "" : i + 1 == n ? " or " : ", ";
		int w = snprintf(buf + off, size - off, "%s%s", sep, names[i]);

		if (w < 0)
			break;
		off += (size_t)w;
	}
}

/*
 * Look a name up; the fallback value (0, or -1) counts only when the name
 * really is the fallback's own ("unknown", "none", "disabled", "absent").
 */
static int get_enum(struct rd *c, struct json_object *o, const char *parent,
		    const char *key, unsigned int flags,
		    const struct enum_desc *e, int def, int *out)
{
	char path[PATH_LEN], list[128], g[GOT_LEN];
	struct json_object *v;
	const char *s;
	int rc, val;

	*out = def;
	rc = get_string(c, o, parent, key, flags, &s);
	if (rc || !s)
		return rc;
	val = e->from(s);
	if (val > 0 || (val == 0 && !strcmp(e->name(0), s))) {
		*out = val;
		return 0;
	}
	lookup(o, key, &v);
	list_names(e, list, sizeof(list));
	return fail(c, "%s: unknown %s %s (expected %s)",
		    join(path, parent, key), e->what, got(v, g), list);
}

/* ------------------------------------------------------------------ */
/* Reader: platform                                                    */
/* ------------------------------------------------------------------ */

/*
 * A fact's provenance.  An absent map or entry means the document did not
 * say: PP_SRC_SNAPSHOT.  A name this version does not know is taken as
 * PP_SRC_SNAPSHOT too, since a newer pmemplan may add sources and the
 * source does not change any arithmetic.
 */
static int get_source(struct rd *c, struct json_object *srcmap,
		      const char *key, enum pp_source *out)
{
	const char *s;
	unsigned int i;
	int rc;

	*out = PP_SRC_SNAPSHOT;
	if (!srcmap)
		return 0;
	rc = get_string(c, srcmap, "platform.source", key, 0, &s);
	if (rc || !s)
		return rc;
	for (i = PP_SRC_NONE; i <= PP_SRC_SNAPSHOT; i++)
		if (!strcmp(s, pp_source_name(i)))
			*out = i;
	return 0;
}

static int get_fact(struct rd *c, struct json_object *o,
		    struct json_object *srcmap, const char *key,
		    struct pp_fact *f)
{
	int rc = get_u64(c, o, "platform", key, 0, &f->value);

	f->src = PP_SRC_NONE;
	if (rc || f->value == PP_UNKNOWN)
		return rc;
	return get_source(c, srcmap, key, &f->src);
}

static int check_pow2(struct rd *c, const char *path, uint64_t v)
{
	if (v == PP_UNKNOWN || pp_is_pow2(v))
		return 0;
	return fail(c, "%s: expected a power of two, got %" PRIu64, path, v);
}

static int read_alignments(struct rd *c, struct json_object *o,
			   struct pp_platform *p)
{
	char path[PATH_LEN];
	struct json_object *a;
	size_t i, n;
	int rc;

	rc = get_typed(c, o, "platform", "supported_alignments",
		       json_type_array, 0, &a);
	if (rc || !a)
		return rc;
	n = json_object_array_length(a);
	if (n > PP_MAX_ALIGNMENTS)
		return fail(c, "platform.supported_alignments: too many entries (max %d)",
			    PP_MAX_ALIGNMENTS);
	for (i = 0; i < n; i++) {
		struct json_object *v = json_object_array_get_idx(a, i);
		uint64_t x;

		snprintf(path, sizeof(path),
			 "platform.supported_alignments[%zu]", i);
		if (!v)
			return bad_type(c, path, "a non-negative integer", v);
		rc = as_u64(c, path, v, &x);
		if (!rc)
			rc = check_pow2(c, path, x);
		if (rc)
			return rc;
		p->supported_align[i] = x;
	}
	p->nr_supported_align = (unsigned int)n;
	return 0;
}

static int cmp_fw_range(const void *a, const void *b)
{
	const struct pp_fw_range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return strcmp(x->type, y->type);
}

/*
 * The firmware memory map: optional (documents before it, and machines
 * without /sys/firmware/memmap, have none).  Sorted by start as the probe
 * gives it, so that a hand-edited map reads like a probed one.
 */
static int read_fwmap(struct rd *c, struct json_object *o,
		      struct pp_platform *p)
{
	char path[PATH_LEN];
	struct json_object *a;
	size_t i, n;
	int rc;

	rc = get_typed(c, o, "platform", "firmware_memmap", json_type_array,
		       0, &a);
	if (rc || !a)
		return rc;
	n = json_object_array_length(a);
	if (n > MAX_FWMAP)
		return fail(c, "platform.firmware_memmap: too many entries (max %d)",
			    MAX_FWMAP);
	if (!n)
		return 0;
	p->fwmap = calloc(n, sizeof(*p->fwmap));
	if (!p->fwmap)
		return nomem(c);
	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(a, i);
		struct pp_fw_range *f = &p->fwmap[i];

		snprintf(path, sizeof(path), "platform.firmware_memmap[%zu]",
			 i);
		if (!json_object_is_type(e, json_type_object))
			return bad_type(c, path, "an object", e);
		rc = get_u64(c, e, path, "start", REQ, &f->start);
		if (!rc)
			rc = get_u64(c, e, path, "end", REQ, &f->end);
		if (!rc)
			rc = get_buf(c, e, path, "type", 0, f->type,
				     sizeof(f->type));
		if (rc)
			return rc;
		/* end is exclusive: /sys's inclusive end + 1 */
		if (f->end <= f->start)
			return fail(c, "%s.end: not after start (0x%" PRIx64 " <= 0x%" PRIx64 ")",
				    path, f->end, f->start);
		p->nr_fwmap++;
	}
	qsort(p->fwmap, p->nr_fwmap, sizeof(*p->fwmap), cmp_fw_range);
	return 0;
}

/*
 * "kernel_version" is the version the model uses; the release alone can
 * be wrong ("6.1.0-28-amd64" is 6.1.119), and rules such as
 * MAX_STRUCT_PAGE_SIZE depend on the sublevel.  A document without it
 * (hand-written, or older) falls back to parsing the release.
 */
static int read_kernel(struct rd *c, struct json_object *o,
		       struct json_object *srcmap, struct pp_platform *p)
{
	const char *ver;
	char g[GOT_LEN];
	struct json_object *v;
	int rc;

	rc = get_buf(c, o, "platform", "kernel", 0, p->kernel,
		     sizeof(p->kernel));
	if (!rc)
		rc = get_string(c, o, "platform", "kernel_version", 0, &ver);
	if (rc)
		return rc;
	p->kver = 0;
	p->kver_src = PP_SRC_NONE;
	if (ver && pp_parse_kver(ver, &p->kver)) {
		lookup(o, "kernel_version", &v);
		return fail(c, "platform.kernel_version: expected a version such as \"6.1.119\", got %s",
			    got(v, g));
	}
	/* an unparsable release stays as text, version unknown */
	if (!ver && p->kernel[0] && pp_parse_kver(p->kernel, &p->kver))
		p->kver = 0;
	if (!ver && !p->kernel[0])
		return 0;
	return get_source(c, srcmap, "kernel", &p->kver_src);
}

#define SZ_1G_SNAP (1ULL << 30)

/* A platform size fact, when known, within [min, max]. */
static int check_between(struct rd *c, const char *key,
			 const struct pp_fact *f, uint64_t min, uint64_t max)
{
	if (f->src == PP_SRC_NONE || f->value == PP_UNKNOWN)
		return 0;
	if (f->value < min || f->value > max)
		return fail(c, "platform.%s: expected %" PRIu64 " to %" PRIu64 ", got %" PRIu64,
			    key, min, max, f->value);
	return 0;
}

static int read_platform(struct rd *c, struct json_object *o,
			 struct pp_platform *p)
{
#define FACT(key, field, pow2) \
	{ key, offsetof(struct pp_platform, field), pow2 }
	static const struct {
		const char *key;
		size_t off;
		bool pow2;	/* must be a power of two when known */
	} facts[] = {
		FACT("page_size", page_size, true),
		FACT("section_size", section_size, true),
		FACT("block_size", block_size, true),
		FACT("pageblock_order", pageblock_order, false),
		FACT("struct_page_size", struct_page_size, false),
		FACT("compat_align", compat_align, true),
		FACT("hpage_pmd_size", hpage_pmd_size, true),
		FACT("mem_total", mem_total, false),
		FACT("mem_available", mem_available, false),
		FACT("numa_nodes", nr_nodes, false),
	};
#undef FACT
	struct json_object *srcmap;
	char path[PATH_LEN];
	unsigned int i;
	int rc, v;

	rc = get_typed(c, o, "platform", "source", json_type_object, 0,
		       &srcmap);
	if (rc)
		return rc;

	/* null is the writer's "unknown"; a missing key is an error */
	if (!json_object_object_get_ex(o, "arch", NULL))
		return missing(c, "platform.arch");
	rc = get_enum(c, o, "platform", "arch", 0, &arch_desc,
		      PP_ARCH_UNKNOWN, &v);
	if (rc)
		return rc;
	p->arch = (enum pp_arch)v;
	p->arch_src = PP_SRC_NONE;
	if (p->arch != PP_ARCH_UNKNOWN) {
		rc = get_source(c, srcmap, "arch", &p->arch_src);
		if (rc)
			return rc;
	}

	rc = read_kernel(c, o, srcmap, p);
	if (rc)
		return rc;

	for (i = 0; i < ARRAY_SIZE(facts); i++) {
		struct pp_fact *f = (struct pp_fact *)((char *)p +
						       facts[i].off);

		rc = get_fact(c, o, srcmap, facts[i].key, f);
		if (!rc && facts[i].pow2)
			rc = check_pow2(c, join(path, "platform",
						facts[i].key), f->value);
		if (rc)
			return rc;
	}

	if (p->page_size.value != PP_UNKNOWN &&
	    (p->page_size.value < MIN_PAGE_SIZE ||
	     p->page_size.value > MAX_PAGE_SIZE))
		return fail(c, "platform.page_size: expected a power of two from %d to %d, got %" PRIu64,
			    MIN_PAGE_SIZE, MAX_PAGE_SIZE, p->page_size.value);
	if (p->block_size.value != PP_UNKNOWN &&
	    p->page_size.value != PP_UNKNOWN &&
	    p->block_size.value < p->page_size.value)
		return fail(c, "platform.block_size: smaller than page_size (%" PRIu64 " < %" PRIu64 ")",
			    p->block_size.value, p->page_size.value);
	/*
	 * Sizes the kernel could have: memremap_compat_align() is 2 MiB or
	 * the ppc64 hash page (16 MiB); no arch has memory blocks above
	 * 2 GiB today (x86 MAX_BLOCK_SIZE), so 64 GiB leaves room.
	 */
	if ((rc = check_between(c, "compat_align", &p->compat_align,
				MIN_PAGE_SIZE, SZ_1G_SNAP)) ||
	    (rc = check_between(c, "hpage_pmd_size", &p->hpage_pmd_size,
				MIN_PAGE_SIZE, 16 * SZ_1G_SNAP)) ||
	    (rc = check_between(c, "block_size", &p->block_size,
				MIN_PAGE_SIZE, 64 * SZ_1G_SNAP)) ||
	    (rc = check_between(c, "section_size", &p->section_size,
				MIN_PAGE_SIZE, 64 * SZ_1G_SNAP)))
		return rc;
	if (p->pageblock_order.value != PP_UNKNOWN &&
	    p->pageblock_order.value > MAX_PAGEBLOCK_ORDER)
		return fail(c, "platform.pageblock_order: expected at most %d, got %" PRIu64,
			    MAX_PAGEBLOCK_ORDER, p->pageblock_order.value);

	rc = read_alignments(c, o, p);
	if (rc)
		return rc;

	rc = get_enum(c, o, "platform", "memmap_on_memory", 0, &mom_desc,
		      -1, &v);
	if (rc)
		return rc;
	p->memmap_on_memory = PP_MOM_ABSENT;
	p->memmap_on_memory_src = PP_SRC_NONE;
	if (v >= 0) {
		p->memmap_on_memory = (enum pp_mom_param)v;
		rc = get_source(c, srcmap, "memmap_on_memory",
				&p->memmap_on_memory_src);
		if (rc)
			return rc;
	}

	rc = get_buf(c, o, "platform", "auto_online_blocks", 0,
		     p->auto_online_blocks, sizeof(p->auto_online_blocks));
	if (rc)
		return rc;
	rc = get_bool(c, o, "platform", "root", &p->is_root);
	if (rc)
		return rc;
	return read_fwmap(c, o, p);
}

/* ------------------------------------------------------------------ */
/* Reader: regions, namespaces, dax devices                            */
/* ------------------------------------------------------------------ */

/* [start, start + size) must not wrap: the model computes the end. */
static int check_range(struct rd *c, const char *parent, uint64_t start,
		       uint64_t size)
{
	if (start == PP_UNKNOWN || size == PP_UNKNOWN)
		return 0;
	if (size > UINT64_MAX - start)
		return fail(c, "%s.size: resource + size exceeds 64 bits (0x%" PRIx64 " + 0x%" PRIx64 ")",
			    parent, start, size);
	return 0;
}

static bool inside(uint64_t start, uint64_t size, uint64_t ostart,
		   uint64_t osize)
{
	return start >= ostart && start + size <= ostart + osize;
}

static int check_align(struct rd *c, const char *parent, uint64_t align)
{
	char path[PATH_LEN];

	return check_pow2(c, join(path, parent, "align"), align);
}

static int read_dax(struct rd *c, struct json_object *o, const char *parent,
		    const struct pp_namespace *ns, struct pp_dax *d)
{
	char path[PATH_LEN];
	int rc, v;

	rc = get_buf(c, o, parent, "chardev", REQ | NONEMPTY, d->dev,
		     sizeof(d->dev));
	if (rc)
		return rc;
	rc = get_enum(c, o, parent, "mode", REQ, &dax_desc, 0, &v);
	if (rc)
		return rc;
	d->mode = (enum pp_dax_mode)v;
	rc = get_u64(c, o, parent, "resource", 0, &d->start);
	if (!rc)
		rc = get_u64(c, o, parent, "size", 0, &d->size);
	if (!rc)
		rc = get_u64(c, o, parent, "align", 0, &d->align);
	if (!rc)
		rc = check_align(c, parent, d->align);
	if (!rc)
		rc = get_int(c, o, parent, "target_node", -1, MAX_NODE, -1,
			     &d->target_node);
	if (!rc)
		rc = get_int(c, o, parent, "memmap_on_memory", 0, 1, -1,
			     &d->memmap_on_memory);
	if (!rc)
		rc = get_u64(c, o, parent, "online_memblocks", 0,
			     &d->online_blocks);
	if (!rc)
		rc = get_u64(c, o, parent, "total_memblocks", 0,
			     &d->total_blocks);
	if (!rc)
		rc = get_buf(c, o, parent, "zone", 0, d->zone,
			     sizeof(d->zone));
	if (!rc)
		rc = check_range(c, parent, d->start, d->size);
	if (rc)
		return rc;
	if (d->online_blocks != PP_UNKNOWN && d->total_blocks != PP_UNKNOWN &&
	    d->online_blocks > d->total_blocks)
		return fail(c, "%s: more than total_memblocks (%" PRIu64 " > %" PRIu64 ")",
			    join(path, parent, "online_memblocks"),
			    d->online_blocks, d->total_blocks);
	if (d->start != PP_UNKNOWN && d->size != PP_UNKNOWN &&
	    ns->start != PP_UNKNOWN &&
	    !inside(d->start, d->size, ns->start, ns->size))
		return fail(c, "%s: [0x%" PRIx64 ", 0x%" PRIx64 ") lies outside %s [0x%" PRIx64 ", 0x%" PRIx64 ")",
			    join(path, parent, "resource"), d->start,
			    d->start + d->size, ns->dev, ns->start,
			    ns->start + ns->size);
	return 0;
}

/*
 * output.c writes the kmem range inside the namespace's computed "kmem"
 * object; only a measured one is a fact.  A predicted one is recomputed.
 */
static int read_kmem(struct rd *c, struct json_object *o, const char *parent,
		     struct pp_namespace *ns)
{
	char kpath[ELEM_LEN + 8], path[PATH_LEN];
	struct json_object *k, *s;
	uint64_t start, end;
	int rc;

	lookup(o, "kmem", &k);
	if (!k || !json_object_is_type(k, json_type_object))
		return 0;
	lookup(k, "source", &s);
	if (!s || !json_object_is_type(s, json_type_string) ||
	    strcmp(json_object_get_string(s), "measured"))
		return 0;
	join(kpath, parent, "kmem");
	if (!ns->dax)
		return fail(c, "%s.source: \"measured\" but the namespace has no dax device",
			    kpath);
	rc = get_u64(c, k, kpath, "start", 0, &start);
	if (!rc)
		rc = get_u64(c, k, kpath, "end", 0, &end);
	if (rc)
		return rc;
	if ((start == PP_UNKNOWN) != (end == PP_UNKNOWN))
		return fail(c, "%s: a measured range needs both start and end",
			    kpath);
	if (start != PP_UNKNOWN && end != PP_UNKNOWN) {
		const struct pp_dax *d = ns->dax;
		uint64_t lo = PP_UNKNOWN, hi = 0;
		const char *what = ns->dev;

		if (end < start)
			return fail(c, "%s: before kmem.start (0x%" PRIx64 " < 0x%" PRIx64 ")",
				    join(path, kpath, "end"), end, start);
		/*
		 * kmem hot-plugs whole blocks inside the dax range, which
		 * starts dataoff into the namespace; the accounting takes
		 * the gaps on either side by subtraction.
		 */
		if (d->start != PP_UNKNOWN && d->size != PP_UNKNOWN) {
			lo = d->start;
			hi = d->start + d->size;
			what = d->dev;
		} else if (ns->start != PP_UNKNOWN) {
			lo = ns->start + (ns->dataoff != PP_UNKNOWN ?
					  ns->dataoff : 0);
			hi = ns->start + ns->size;
		}
		if (lo != PP_UNKNOWN && (start < lo || end > hi))
			return fail(c, "%s: [0x%" PRIx64 ", 0x%" PRIx64 ") lies outside %s [0x%" PRIx64 ", 0x%" PRIx64 ")",
				    join(path, kpath, "start"), start, end,
				    what, lo, hi);
	}
	ns->dax->kmem_start = start;
	ns->dax->kmem_end = end;
	return 0;
}

/* null or missing: not probed; a string, even "", is what was found */
static int read_signature(struct rd *c, struct json_object *o,
			  const char *parent, struct pp_namespace *ns)
{
	struct json_object *v;
	int rc;

	lookup(o, "signature", &v);
	if (!v)
		return 0;
	rc = get_buf(c, o, parent, "signature", 0, ns->signature,
		     sizeof(ns->signature));
	if (!rc)
		ns->sig_probed = true;
	return rc;
}

/*
 * A document from before "claimed" and "busy" says what they would have
 * been in other words: devdax and sector modes and an fsdax info block
 * (a data offset that is not known to be 0, which only a claim-less e820
 * namespace has) are claims; a dax device in System RAM with memory
 * online, or not known to be offline, is busy.  Only the O_EXCL test is
 * lost.  A true or false in the document is taken as it is.
 */
static int read_usage(struct rd *c, struct json_object *o,
		      const char *parent, struct pp_namespace *ns)
{
	const struct pp_dax *d = ns->dax;
	struct json_object *v;
	int rc = 0;

	lookup(o, "claimed", &v);
	if (v)
		rc = get_bool(c, o, parent, "claimed", &ns->claimed);
	else
		ns->claimed = ns->mode == PP_MODE_DEVDAX ||
			      ns->mode == PP_MODE_SECTOR ||
			      (ns->mode == PP_MODE_FSDAX && ns->dataoff);
	if (rc)
		return rc;
	lookup(o, "busy", &v);
	if (v)
		return get_bool(c, o, parent, "busy", &ns->busy);
	ns->busy = d && d->mode == PP_DAX_SYSTEM_RAM && d->online_blocks;
	return 0;
}

/*
 * Resources and sizes are whole pages (the smallest page is 4 KiB on
 * every architecture pmem exists on), and a region align is at least a
 * page (align_store(), region_devs.c): anything else is not a machine.
 */
static int check_pages(struct rd *c, const char *parent, uint64_t start,
		       uint64_t size)
{
	char path[PATH_LEN];

	if (start != PP_UNKNOWN && start % SNAP_MIN_PAGE)
		return fail(c, "%s: 0x%" PRIx64 " is not a multiple of 4 KiB",
			    join(path, parent, "resource"), start);
	if (size != PP_UNKNOWN && size % SNAP_MIN_PAGE)
		return fail(c, "%s: %" PRIu64 " is not a multiple of 4 KiB",
			    join(path, parent, "size"), size);
	return 0;
}

static int read_namespace(struct rd *c, struct json_object *o,
			  const char *parent, const struct pp_region *r,
			  struct pp_namespace *ns)
{
	char path[PATH_LEN], dpath[ELEM_LEN + 8];
	struct json_object *d;
	int rc, v;

	rc = get_buf(c, o, parent, "dev", REQ | NONEMPTY, ns->dev,
		     sizeof(ns->dev));
	if (rc)
		return rc;
	/* null is the writer's "unknown" mode; a missing key is an error */
	if (!json_object_object_get_ex(o, "mode", NULL))
		return missing(c, join(path, parent, "mode"));
	rc = get_enum(c, o, parent, "mode", 0, &mode_desc, PP_MODE_UNKNOWN,
		      &v);
	if (rc)
		return rc;
	ns->mode = (enum pp_ns_mode)v;
	rc = get_enum(c, o, parent, "map", 0, &map_desc, PP_MAP_NONE, &v);
	if (rc)
		return rc;
	ns->map = (enum pp_map)v;
	rc = get_u64(c, o, parent, "align", 0, &ns->align);
	if (!rc)
		rc = check_align(c, parent, ns->align);
	if (!rc)
		rc = get_u64(c, o, parent, "resource", 0, &ns->start);
	if (!rc)
		rc = get_u64(c, o, parent, "size", REQ, &ns->size);
	if (rc)
		return rc;
	if (!ns->size)
		return fail(c, "%s: expected a positive size, got 0",
			    join(path, parent, "size"));
	rc = check_pages(c, parent, ns->start, ns->size);
	if (rc)
		return rc;
	rc = get_u64(c, o, parent, "dataoff", 0, &ns->dataoff);
	if (!rc)
		rc = get_buf(c, o, parent, "uuid", 0, ns->uuid,
			     sizeof(ns->uuid));
	if (!rc)
		rc = get_buf(c, o, parent, "name", 0, ns->name,
			     sizeof(ns->name));
	if (!rc)
		rc = get_bool(c, o, parent, "enabled", &ns->enabled);
	if (!rc)
		rc = check_range(c, parent, ns->start, ns->size);
	if (rc)
		return rc;
	if (ns->dataoff != PP_UNKNOWN && ns->dataoff > ns->size)
		return fail(c, "%s: beyond the end of the namespace (%" PRIu64 " > size %" PRIu64 ")",
			    join(path, parent, "dataoff"), ns->dataoff,
			    ns->size);
	if (ns->start != PP_UNKNOWN && r->start != PP_UNKNOWN &&
	    !inside(ns->start, ns->size, r->start, r->size))
		return fail(c, "%s: [0x%" PRIx64 ", 0x%" PRIx64 ") lies outside %s [0x%" PRIx64 ", 0x%" PRIx64 ")",
			    join(path, parent, "resource"), ns->start,
			    ns->start + ns->size, r->dev, r->start,
			    r->start + r->size);

	rc = get_typed(c, o, parent, "dax", json_type_object, 0, &d);
	if (rc)
		return rc;
	if (d) {
		if (!pp_namespace_add_dax(ns))
			return nomem(c);
		rc = read_dax(c, d, join(dpath, parent, "dax"), ns, ns->dax);
		if (rc)
			return rc;
	}
	rc = read_signature(c, o, parent, ns);
	if (!rc)
		rc = read_usage(c, o, parent, ns);
	if (!rc)
		rc = read_kmem(c, o, parent, ns);
	return rc;
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

/* qsort: namespace pointers by start address */
static int cmp_ns_start(const void *a, const void *b)
{
	const struct pp_namespace *x = *(const struct pp_namespace *const *)a;
	const struct pp_namespace *y = *(const struct pp_namespace *const *)b;
	int d = cmp_u64(x->start, y->start);

	/* ties by array position so that the report names the later one */
	return d ? d : (x < y ? -1 : x > y);
}

/*
 * Namespaces of one region share its address space; an overlap would make
 * the free-extent arithmetic wrap.
 */
static int check_overlap(struct rd *c, unsigned int ri, struct pp_region *r)
{
	struct pp_namespace **v;
	unsigned int i, n = 0;
	int rc = 0;

	if (r->nr_ns < 2)
		return 0;
	v = calloc(r->nr_ns, sizeof(*v));
	if (!v)
		return nomem(c);
	for (i = 0; i < r->nr_ns; i++)
		if (r->ns[i].start != PP_UNKNOWN)
			v[n++] = &r->ns[i];
	qsort(v, n, sizeof(*v), cmp_ns_start);
	for (i = 1; i < n; i++) {
		const struct pp_namespace *a = v[i - 1], *b = v[i];

		if (a->start + a->size <= b->start)
			continue;
		if (b < a) {
			const struct pp_namespace *tmp = a;

			a = b;
			b = tmp;
		}
		rc = fail(c, "regions[%u].namespaces[%u].resource: [0x%" PRIx64 ", 0x%" PRIx64 ") overlaps %s [0x%" PRIx64 ", 0x%" PRIx64 ")",
			  ri, (unsigned int)(b - r->ns), b->start,
			  b->start + b->size, a->dev, a->start,
			  a->start + a->size);
		break;
	}
	free(v);
	return rc;
}

static int read_region(struct rd *c, struct json_object *o, unsigned int ri,
		       struct pp_region *r)
{
	char parent[24], path[PATH_LEN], npath[ELEM_LEN];
	struct json_object *a, *lc;
	uint64_t total = 0;
	size_t i, n;
	int rc, v;

	snprintf(parent, sizeof(parent), "regions[%u]", ri);
	rc = get_buf(c, o, parent, "dev", REQ | NONEMPTY, r->dev,
		     sizeof(r->dev));
	if (rc)
		return rc;
	rc = get_enum(c, o, parent, "kind", 0, &kind_desc, PP_REGION_NFIT,
		      &v);
	if (rc)
		return rc;
	r->kind = (enum pp_region_kind)v;
	rc = get_u64(c, o, parent, "resource", 0, &r->start);
	if (!rc)
		rc = get_u64(c, o, parent, "size", REQ, &r->size);
	if (!rc)
		rc = get_u64(c, o, parent, "align", 0, &r->align);
	if (!rc)
		rc = check_align(c, parent, r->align);
	if (!rc)
		rc = get_int(c, o, parent, "interleave_ways", 1, MAX_WAYS, 1,
			     &v);
	if (rc)
		return rc;
	r->ways = (unsigned int)v;
	rc = get_bool(c, o, parent, "labelled", &r->labelled);
	/*
	 * Missing (older documents) or null: a region the kernel made
	 * labelled has DIMMs with labels (nd_region_to_nstype() wants
	 * NDD_LABELING on all of them).
	 */
	lookup(o, "label_capable", &lc);
	if (!rc && !lc)
		r->label_capable = r->labelled;
	else if (!rc)
		rc = get_bool(c, o, parent, "label_capable",
			      &r->label_capable);
	if (!rc)
		rc = get_bool(c, o, parent, "enabled", &r->enabled);
	if (!rc)
		rc = get_bool(c, o, parent, "readonly", &r->readonly);
	if (!rc)
		rc = get_int(c, o, parent, "numa_node", -1, MAX_NODE, -1,
			     &r->numa_node);
	if (!rc)
		rc = get_int(c, o, parent, "target_node", -1, MAX_NODE, -1,
			     &r->target_node);
	if (!rc)
		rc = get_u64(c, o, parent, "available_size", 0,
			     &r->available_size);
	if (!rc)
		rc = get_u64(c, o, parent, "max_available_extent", 0,
			     &r->max_available_extent);
	if (!rc)
		rc = check_range(c, parent, r->start, r->size);
	if (!rc)
		rc = check_pages(c, parent, r->start, r->size);
	if (rc)
		return rc;
	if (r->align != PP_UNKNOWN && r->align < SNAP_MIN_PAGE)
		return fail(c, "%s: %" PRIu64 " is smaller than a page (4096)",
			    join(path, parent, "align"), r->align);
	if (r->available_size != PP_UNKNOWN && r->available_size > r->size)
		return fail(c, "%s: larger than the region (%" PRIu64 " > size %" PRIu64 ")",
			    join(path, parent, "available_size"),
			    r->available_size, r->size);
	if (r->max_available_extent != PP_UNKNOWN &&
	    r->max_available_extent > r->size)
		return fail(c, "%s: larger than the region (%" PRIu64 " > size %" PRIu64 ")",
			    join(path, parent, "max_available_extent"),
			    r->max_available_extent, r->size);

	rc = get_typed(c, o, parent, "namespaces", json_type_array, 0, &a);
	if (rc || !a)
		return rc;
	n = json_object_array_length(a);
	if (n > MAX_NAMESPACES)
		return fail(c, "%s.namespaces: too many entries (max %d)",
			    parent, MAX_NAMESPACES);
	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(a, i);
		struct pp_namespace *ns;

		snprintf(npath, sizeof(npath), "%s.namespaces[%zu]", parent,
			 i);
		if (!json_object_is_type(e, json_type_object))
			return bad_type(c, npath, "an object", e);
		ns = pp_region_add_namespace(r);
		if (!ns)
			return nomem(c);
		rc = read_namespace(c, e, npath, r, ns);
		if (rc)
			return rc;
		/* with or without addresses, they cannot hold more */
		total += ns->size;
		if (total > r->size)
			return fail(c, "%s.namespaces: %" PRIu64 " bytes in namespaces, more than the region's %" PRIu64,
				    parent, total, r->size);
	}
	return check_overlap(c, ri, r);
}

/* ------------------------------------------------------------------ */
/* Reader: duplicate names                                             */
/* ------------------------------------------------------------------ */

struct name_ref {
	const char *name;
	unsigned int r, n;	/* position in the document */
};

static int cmp_ref(const void *a, const void *b)
{
	const struct name_ref *x = a, *y = b;
	int d = strcmp(x->name, y->name);

	if (d)
		return d;
	if (x->r != y->r)
		return x->r < y->r ? -1 : 1;
	return x->n < y->n ? -1 : x->n > y->n;
}

enum name_kind { NAME_REGION, NAME_NS, NAME_DAX };

static void ref_path(char *buf, enum name_kind kind,
		     const struct name_ref *ref)
{
	switch (kind) {
	case NAME_REGION:
		snprintf(buf, PATH_LEN, "regions[%u].dev", ref->r);
		break;
	case NAME_NS:
		snprintf(buf, PATH_LEN, "regions[%u].namespaces[%u].dev",
			 ref->r, ref->n);
		break;
	case NAME_DAX:
		snprintf(buf, PATH_LEN,
			 "regions[%u].namespaces[%u].dax.chardev",
			 ref->r, ref->n);
		break;
	}
}

/*
 * Device names identify what plan and apply act on, so each must be unique
 * (namespace and dax names are global in the kernel, not per region).
 * Sorting keeps this O(n log n) at the caps; of several duplicates the one
 * reported is the first to repeat an earlier name in document order.
 */
static int check_dups(struct rd *c, const struct pp_topology *t,
		      enum name_kind kind)
{
	struct name_ref *v, *first = NULL, *later = NULL;
	char p1[PATH_LEN], p2[PATH_LEN];
	size_t n = 0, total = 0, i, group = 0;
	unsigned int ri, ni;

	for (ri = 0; ri < t->nr_regions; ri++)
		total += kind == NAME_REGION ? 1 : t->regions[ri].nr_ns;
	if (total < 2)
		return 0;
	v = calloc(total, sizeof(*v));
	if (!v)
		return nomem(c);
	for (ri = 0; ri < t->nr_regions; ri++) {
		const struct pp_region *r = &t->regions[ri];

		if (kind == NAME_REGION) {
			v[n++] = (struct name_ref){ r->dev, ri, 0 };
			continue;
		}
		for (ni = 0; ni < r->nr_ns; ni++) {
			if (kind == NAME_NS)
				v[n++] = (struct name_ref){ r->ns[ni].dev,
							    ri, ni };
			else if (r->ns[ni].dax)
				v[n++] = (struct name_ref){
					r->ns[ni].dax->dev, ri, ni };
		}
	}
	qsort(v, n, sizeof(*v), cmp_ref);
	for (i = 1; i < n; i++) {
		if (strcmp(v[i - 1].name, v[i].name)) {
			group = i;
			continue;
		}
		/* v[i] repeats v[group], the first of its name */
		if (!later || v[i].r < later->r ||
		    (v[i].r == later->r && v[i].n < later->n)) {
			later = &v[i];
			first = &v[group];
		}
	}
	if (later) {
		ref_path(p1, kind, later);
		ref_path(p2, kind, first);
		fail(c, "%s: duplicate name \"%s\" (also %s)", p1,
		     later->name, p2);
	}
	free(v);
	return later ? -EINVAL : 0;
}

/* ------------------------------------------------------------------ */
/* Reader: document                                                    */
/* ------------------------------------------------------------------ */

static void init_platform(struct pp_platform *p)
{
	struct pp_fact *facts[] = {
		&p->page_size, &p->section_size, &p->block_size,
		&p->pageblock_order, &p->struct_page_size, &p->compat_align,
		&p->hpage_pmd_size, &p->mem_total, &p->mem_available,
		&p->nr_nodes,
	};
	unsigned int i;

	memset(p, 0, sizeof(*p));
	for (i = 0; i < ARRAY_SIZE(facts); i++)
		facts[i]->value = PP_UNKNOWN;
}

static int read_notes(struct rd *c, struct json_object *root,
		      struct pp_topology *t)
{
	char path[PATH_LEN];
	struct json_object *a;
	size_t i, n;
	int rc;

	rc = get_typed(c, root, "", "notes", json_type_array, 0, &a);
	if (rc || !a)
		return rc;
	n = json_object_array_length(a);
	if (n > MAX_NOTES)
		return fail(c, "notes: too many entries (max %d)", MAX_NOTES);
	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(a, i);
		int len, j;
		const char *s;

		snprintf(path, sizeof(path), "notes[%zu]", i);
		if (!json_object_is_type(e, json_type_string))
			return bad_type(c, path, "a string", e);
		s = json_object_get_string(e);
		len = json_object_get_string_len(e);
		if (len > MAX_NOTE_LEN)
			return fail(c, "%s: string too long (%d bytes, max %d)",
				    path, len, MAX_NOTE_LEN);
		for (j = 0; j < len; j++)
			if ((unsigned char)s[j] < 0x20 || s[j] == 0x7f)
				return fail(c, "%s: control character in string at offset %d",
					    path, j);
		if (pp_topology_note(t, "%s", s))
			return nomem(c);
	}
	return 0;
}

static int read_document(struct rd *c, struct json_object *root,
			 struct pp_topology *t)
{
	struct json_object *v, *a;
	char g[GOT_LEN];
	size_t i, n;
	int rc;

	if (!json_object_is_type(root, json_type_object))
		return fail(c, "not a pmemplan snapshot: expected a JSON object, got %s (expected the output of pmemplan show --json)",
			    got(root, g));
	if (!lookup(root, "schema", &v))
		return fail(c, "not a pmemplan snapshot: no \"schema\" key (expected the output of pmemplan show --json)");
	if (!json_object_is_type(v, json_type_int))
		return bad_type(c, "schema", "an integer", v);
	if (json_object_get_int64(v) != PP_SCHEMA)
		return fail(c, "unsupported schema %s: this pmemplan reads schema %d",
			    got(v, g), PP_SCHEMA);

	rc = get_typed(c, root, "", "platform", json_type_object, REQ, &v);
	if (!rc)
		rc = read_platform(c, v, &t->plat);
	if (!rc)
		rc = get_typed(c, root, "", "regions", json_type_array, REQ,
			       &a);
	if (rc)
		return rc;
	n = json_object_array_length(a);
	if (n > MAX_REGIONS)
		return fail(c, "regions: too many entries (max %d)",
			    MAX_REGIONS);
	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(a, i);
		struct pp_region *r;
		char path[PATH_LEN];

		snprintf(path, sizeof(path), "regions[%zu]", i);
		if (!json_object_is_type(e, json_type_object))
			return bad_type(c, path, "an object", e);
		r = pp_topology_add_region(t);
		if (!r)
			return nomem(c);
		rc = read_region(c, e, (unsigned int)i, r);
		if (rc)
			return rc;
	}
	rc = check_dups(c, t, NAME_REGION);
	if (!rc)
		rc = check_dups(c, t, NAME_NS);
	if (!rc)
		rc = check_dups(c, t, NAME_DAX);
	if (!rc)
		rc = read_notes(c, root, t);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Reader: tokenizing                                                  */
/* ------------------------------------------------------------------ */

/*
 * Incremental parse, so that a file is read in chunks and a hopeless one
 * (10 MB of '[') is given up at the first bad byte.  Positions are counted
 * across chunks for the message.
 */
struct feed {
	struct rd *c;
	struct json_tokener *tok;
	struct json_object *root;
	size_t off;		/* bytes before the current chunk */
	unsigned long line;	/* 1-based, at off */
	size_t col;		/* bytes since the last newline, at off */
	bool blank;		/* nothing but whitespace so far */
	bool done;		/* root complete: only whitespace follows */
};

static void advance(struct feed *f, const char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (buf[i] == '\n') {
			f->line++;
			f->col = 0;
		} else {
			f->col++;
		}
	}
	f->off += len;
}

static int syntax(struct feed *f, const char *buf, size_t at,
		  const char *what, const char *hint)
{
	advance(f, buf, at);
	return fail(f->c, "malformed JSON at byte %zu (line %lu, column %zu): %s%s",
		    f->off, f->line, f->col + 1, what, hint);
}

static bool is_ws(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* After the document: anything but whitespace is an error. */
static int feed_tail(struct feed *f, const char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!is_ws(buf[i]))
			return syntax(f, buf, i,
				      "trailing data after the JSON document",
				      "");
	advance(f, buf, len);
	return 0;
}

static int feed(struct feed *f, const char *buf, size_t len)
{
	enum json_tokener_error e;
	const char *nul;
	size_t n, i, end;

	while (len) {
		if (f->done)
			return feed_tail(f, buf, len);
		/* json_tokener_parse_ex() takes an int length */
		n = len < READ_CHUNK ? len : READ_CHUNK;
		/* json-c would take a NUL byte for the end of the input */
		nul = memchr(buf, '\0', n);
		if (nul)
			n = (size_t)(nul - buf);
		for (i = 0; f->blank && i < n; i++)
			if (!is_ws(buf[i]))
				f->blank = false;
		if (n) {
			f->root = json_tokener_parse_ex(f->tok, buf, (int)n);
			e = json_tokener_get_error(f->tok);
			end = json_tokener_get_parse_end(f->tok);
			if (e == json_tokener_success) {
				f->done = true;
				advance(f, buf, end);
				buf += end;
				len -= end;
				continue;
			}
			if (e != json_tokener_continue)
				return syntax(f, buf, end,
					      json_tokener_error_desc(e),
					      e == json_tokener_error_depth ?
					      " (limit " STR(JSON_DEPTH)
					      " levels)" : "");
			advance(f, buf, n);
			buf += n;
			len -= n;
		}
		if (nul)
			return syntax(f, buf, 0,
				      "NUL byte in input (is this a binary file?)",
				      "");
	}
	return 0;
}

/* End of input: a complete document, or the reason there is none. */
static int feed_end(struct feed *f)
{
	if (f->done)
		return 0;
	if (f->blank)
		return fail(f->c, "empty input: not a pmemplan snapshot (expected the output of pmemplan show --json)");
	/* a top-level number is only complete once the tokener sees a NUL */
	f->root = json_tokener_parse_ex(f->tok, "", 1);
	if (json_tokener_get_error(f->tok) == json_tokener_success) {
		f->done = true;
		return 0;
	}
	return syntax(f, "", 0, "unexpected end of data", "");
}

static int feed_init(struct feed *f, struct rd *c)
{
	memset(f, 0, sizeof(*f));
	f->c = c;
	f->line = 1;
	f->blank = true;
	f->tok = json_tokener_new_ex(JSON_DEPTH);
	if (!f->tok)
		return nomem(c);
	/*
	 * Strict: a snapshot is machine output, and what json-c accepts
	 * beyond JSON (comments, single quotes, trailing commas) would make
	 * files that jq and other readers reject.  Trailing characters are
	 * checked here, for a message of our own.
	 */
	json_tokener_set_flags(f->tok, JSON_TOKENER_STRICT |
			       JSON_TOKENER_ALLOW_TRAILING_CHARS |
			       JSON_TOKENER_VALIDATE_UTF8);
	return 0;
}

static void feed_fini(struct feed *f)
{
	json_object_put(f->root);
	json_tokener_free(f->tok);
}

/* Convert a parsed tree; t is untouched unless this succeeds. */
static int finish(struct rd *c, struct feed *f, int rc, struct pp_topology *t)
{
	struct pp_topology tmp = { 0 };

	init_platform(&tmp.plat);
	if (!rc)
		rc = feed_end(f);
	if (!rc)
		rc = read_document(c, f->root, &tmp);
	feed_fini(f);
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

static int too_big(struct rd *c)
{
	return fail(c, "input larger than %u MiB: not a pmemplan snapshot",
		    INPUT_MAX >> 20);
}

int pp_snapshot_parse(const char *text, size_t len, struct pp_topology *t,
		      char *err, size_t errlen)
{
	struct rd c = { err, errlen };
	struct feed f;
	int rc;

	memset(t, 0, sizeof(*t));
	rc = feed_init(&f, &c);
	if (rc)
		return rc;
	rc = len > INPUT_MAX ? too_big(&c) : feed(&f, text, len);
	return finish(&c, &f, rc, t);
}

int pp_snapshot_read(FILE *in, struct pp_topology *t, char *err,
		     size_t errlen)
{
	struct rd c = { err, errlen };
	struct feed f;
	size_t n, total = 0;
	char *buf;
	int rc;

	memset(t, 0, sizeof(*t));
	buf = malloc(READ_CHUNK);
	if (!buf)
		return nomem(&c);
	rc = feed_init(&f, &c);
	if (rc)
		goto out;
	while (!rc && (n = fread(buf, 1, READ_CHUNK, in)) > 0) {
		total += n;
		rc = total > INPUT_MAX ? too_big(&c) : feed(&f, buf, n);
	}
	if (!rc && ferror(in))
		rc = fail_rc(&c, -EIO, "read error: %s", strerror(errno));
	rc = finish(&c, &f, rc, t);
out:
	free(buf);
	return rc;
}
