/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The snapshot reader's internals, shared by its files and by nothing
 * else (the interface is snapshot.h):
 *   json_feed.c      the streaming JSON tokenizer and the size cap
 *   read_value.c     typed readers with located messages (struct rd)
 *   read_platform.c  the "platform" object
 *   read_region.c    regions, namespaces, dax devices and their checks
 *   read_document.c  the document, notes, pp_snapshot_parse/read
 * Every rd_* function fails with -EINVAL (-ENOMEM from rd_nomem()) and one
 * line in c->err naming the JSON path.
 */
#ifndef PMEMPLAN_SNAPSHOT_READER_H
#define PMEMPLAN_SNAPSHOT_READER_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>
#include "snapshot/snapshot.h"
#include "topology/topology.h"

/* Sanity caps: far above any real machine, low enough to bound memory. */
#define MAX_REGIONS		4096
#define MAX_NAMESPACES		4096	/* per region */
#define MAX_NOTES		4096
#define MAX_NOTE_LEN		4096
#define MAX_FWMAP		4096	/* > E820_MAX_ENTRIES (3200) */
#define INPUT_MAX		PP_SNAPSHOT_MAX
#define MAX_WAYS		64	/* ND_MAX_MAPPINGS is 32: room */
#define MAX_NODE		65535
#define MAX_PAGEBLOCK_ORDER	20
#define MIN_PAGE_SIZE		4096
#define MAX_PAGE_SIZE		65536
/* sizeof(struct page): 64 on every arch we model, 80 with debug options;
 * drivers/nvdimm/nd.h MAX_STRUCT_PAGE_SIZE was 128 at most */
#define MIN_STRUCT_PAGE_SIZE	32
#define MAX_STRUCT_PAGE_SIZE	256

#define READ_CHUNK		65536

/* "regions[4095].namespaces[4095]", then ".dax.memmap_on_memory" */
#define ELEM_LEN		64
#define PATH_LEN		128
#define GOT_LEN			64

/* ------------------------------------------------------------------ */
/* Messages and JSON access (read_value.c)                             */
/* ------------------------------------------------------------------ */

/* Where the one-line message goes. */
struct rd {
	char *err;
	size_t errlen;
};

int __attribute__((format(printf, 3, 4)))
rd_fail_rc(struct rd *c, int rc, const char *fmt, ...);
#define rd_fail(c, ...) rd_fail_rc(c, -EINVAL, __VA_ARGS__)
int rd_nomem(struct rd *c);

/* ("platform", "page_size") -> "platform.page_size"; ("", "x") -> "x" */
const char *rd_join_path(char *buf, size_t size, const char *parent,
			 const char *key);
#define rd_join(buf, parent, key) rd_join_path(buf, sizeof(buf), parent, key)

/* A short one-line rendering of v for "got ..."; buf holds GOT_LEN. */
const char *rd_got(struct json_object *v, char *buf);
int rd_bad_type(struct rd *c, const char *path, const char *what,
		struct json_object *v);
int rd_missing(struct rd *c, const char *path);
/* true if key is present; *v is then NULL for JSON null */
bool rd_lookup(struct json_object *o, const char *key,
	       struct json_object **v);

#define REQ	0x1	/* key must be present and not null */
#define NONEMPTY 0x2	/* string must not be "" */

/* A non-negative integer that fits in 64 bits (and is not PP_UNKNOWN). */
int rd_as_u64(struct rd *c, const char *path, struct json_object *v,
	      uint64_t *out);
/* A byte count or address; missing or null is PP_UNKNOWN. */
int rd_get_u64(struct rd *c, struct json_object *o, const char *parent,
	       const char *key, unsigned int flags, uint64_t *out);
/* A small signed integer in [min, max]; missing or null gives def. */
int rd_get_int(struct rd *c, struct json_object *o, const char *parent,
	       const char *key, int min, int max, int def, int *out);
/* Missing or null is false. */
int rd_get_bool(struct rd *c, struct json_object *o, const char *parent,
		const char *key, bool *out);
/*
 * The offset of the first control character in s[0, len), or -1: those
 * (and the NUL json-c allows as "\u0000") would break the one-line human
 * output and error messages.
 */
int rd_control_char(const char *s, int len);
/* A copyable string (no NUL, no control character); NULL when absent. */
int rd_get_string(struct rd *c, struct json_object *o, const char *parent,
		  const char *key, unsigned int flags, const char **out);
/* A string into a fixed buffer: refused, not truncated, when too long. */
int rd_get_buf(struct rd *c, struct json_object *o, const char *parent,
	       const char *key, unsigned int flags, char *buf, size_t size);
/* Optional object or array member.  Missing and null both give NULL. */
int rd_get_typed(struct rd *c, struct json_object *o, const char *parent,
		 const char *key, enum json_type type, unsigned int flags,
		 struct json_object **out);
/* A name from one of topology.h's tables; missing or null gives def. */
int rd_get_enum(struct rd *c, struct json_object *o, const char *parent,
		const char *key, unsigned int flags,
		const struct pp_name_table *e, int def, int *out);
/* PP_UNKNOWN or a power of two */
int rd_check_pow2(struct rd *c, const char *path, uint64_t v);

/* ------------------------------------------------------------------ */
/* The parts of a document                                             */
/* ------------------------------------------------------------------ */

/* read_platform.c: every fact unknown, then the "platform" object */
void rd_init_platform(struct pp_platform *p);
int rd_read_platform(struct rd *c, struct json_object *o,
		     struct pp_platform *p);

/* read_region.c: regions[ri], then the names unique across regions */
int rd_read_region(struct rd *c, struct json_object *o, unsigned int ri,
		   struct pp_region *r);
/* A dax object at parent, inside [ostart, ostart + osize) of owner. */
int rd_read_dax(struct rd *c, struct json_object *o, const char *parent,
		const char *owner, uint64_t ostart, uint64_t osize,
		struct pp_dax *d);
/* read_cxl.c: cxl_regions[ci] */
int rd_read_cxl_region(struct rd *c, struct json_object *o, unsigned int ci,
		       struct pp_cxl_region *x);
/* read_cxl.c: cxl_free[fi] */
int rd_read_cxl_free(struct rd *c, struct json_object *o, unsigned int fi,
		     struct pp_cxl_free *f);
enum name_kind { NAME_REGION, NAME_NS, NAME_DAX };
int rd_check_dups(struct rd *c, const struct pp_topology *t,
		  enum name_kind kind);

/* ------------------------------------------------------------------ */
/* Tokenizing (json_feed.c)                                            */
/* ------------------------------------------------------------------ */

/*
 * Incremental parse, so that a file is read in chunks and a hopeless one
 * (10 MB of '[') is given up at the first bad byte.  Positions are counted
 * across chunks for the message.
 */
struct rd_feed {
	struct rd *c;
	struct json_tokener *tok;
	struct json_object *root;
	size_t off;		/* bytes before the current chunk */
	unsigned long line;	/* 1-based, at off */
	size_t col;		/* bytes since the last newline, at off */
	bool blank;		/* nothing but whitespace so far */
	bool done;		/* root complete: only whitespace follows */
};

int rd_feed_init(struct rd_feed *f, struct rd *c);
/* The next len bytes; more than INPUT_MAX in all is refused. */
int rd_feed(struct rd_feed *f, const char *buf, size_t len);
/* End of input: a complete document in f->root, or the reason why not. */
int rd_feed_end(struct rd_feed *f);
void rd_feed_fini(struct rd_feed *f);

#endif /* PMEMPLAN_SNAPSHOT_READER_H */
