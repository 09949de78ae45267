// SPDX-License-Identifier: GPL-2.0
/* Checked JSON building: every add is checked, every failure is -ENOMEM. */
#include <errno.h>
#include <stdint.h>
#include "snapshot/json_put.h"
#include "topology/topology.h"

struct json_object *pp_json_u64(uint64_t v)
{
	if (v == PP_UNKNOWN)
		return NULL;
	/* int64 for the common case so that consumers may use get_int64 */
	if (v <= INT64_MAX)
		return json_object_new_int64((int64_t)v);
	return json_object_new_uint64(v);
}

/*
 * Add v under key.  v == NULL is JSON null when is_null, otherwise it is a
 * failed allocation.  json-c does not take ownership when the add fails.
 * Keys are string literals: JSON_C_OBJECT_ADD_CONSTANT_KEY saves a strdup()
 * and, in json-c 0.16, a leak of that copy when the table insert fails.
 */
int pp_json_put(struct json_object *o, const char *key, struct json_object *v,
		bool is_null)
{
	if (!v && !is_null)
		return -ENOMEM;
	if (json_object_object_add_ex(o, key, v,
				      JSON_C_OBJECT_ADD_CONSTANT_KEY)) {
		json_object_put(v);
		return -ENOMEM;
	}
	return 0;
}

int pp_json_put_u64(struct json_object *o, const char *key, uint64_t v)
{
	return pp_json_put(o, key, pp_json_u64(v), v == PP_UNKNOWN);
}

/* "" (and NULL) is the topology's "unknown" for strings. */
int pp_json_put_str(struct json_object *o, const char *key, const char *s)
{
	if (!s || !*s)
		return pp_json_put(o, key, NULL, true);
	return pp_json_put(o, key, json_object_new_string(s), false);
}

int pp_json_put_bool(struct json_object *o, const char *key, bool b)
{
	return pp_json_put(o, key, json_object_new_boolean(b), false);
}

int pp_json_put_int(struct json_object *o, const char *key, int v)
{
	return pp_json_put(o, key, json_object_new_int(v), false);
}

struct json_object *pp_json_built(struct json_object *j, int rc)
{
	if (rc) {
		json_object_put(j);
		return NULL;
	}
	return j;
}

int pp_json_array_put(struct json_object *a, struct json_object *v)
{
	if (!v)
		return -ENOMEM;
	if (json_object_array_add(a, v)) {
		json_object_put(v);
		return -ENOMEM;
	}
	return 0;
}
