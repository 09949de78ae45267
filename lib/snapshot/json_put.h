/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one way pmemplan adds a member to a JSON object: checked, with
 * ownership of the value taken whatever happens, so that a caller chains
 * "rc = rc ?: pp_json_put_...()" and frees only the object it built.
 */
#ifndef PMEMPLAN_JSON_PUT_H
#define PMEMPLAN_JSON_PUT_H

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>

/* A byte count or address: integer, or NULL (JSON null) when PP_UNKNOWN. */
struct json_object *pp_json_u64(uint64_t v);

/*
 * Add v under key (a string literal: the key is not copied).  v == NULL
 * is JSON null when is_null, otherwise a failed allocation.  v is
 * released when the add fails.  Returns 0 or -ENOMEM.
 */
int pp_json_put(struct json_object *o, const char *key, struct json_object *v,
		bool is_null);
/* PP_UNKNOWN is null */
int pp_json_put_u64(struct json_object *o, const char *key, uint64_t v);
/* "" and NULL are null */
int pp_json_put_str(struct json_object *o, const char *key, const char *s);
int pp_json_put_bool(struct json_object *o, const char *key, bool b);
int pp_json_put_int(struct json_object *o, const char *key, int v);
/* Append v to the array a, checked like pp_json_put(): 0 or -ENOMEM. */
int pp_json_array_put(struct json_object *a, struct json_object *v);

/*
 * An object built member by member with the puts above: j, or NULL with j
 * released when rc says an add failed.
 */
struct json_object *pp_json_built(struct json_object *j, int rc);

#endif /* PMEMPLAN_JSON_PUT_H */
