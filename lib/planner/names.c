// SPDX-License-Identifier: GPL-2.0
/*
 * The names of operations, roles and zones: the one spelling used in plan
 * printouts, JSON and apply's step descriptions.
 */
#include "planner/planner.h"
#include "util/util.h"

const char *pp_op_name(enum pp_op_kind k)
{
	static const char *const names[] = {
		[PP_OP_INIT_LABELS] = "init-labels",
		[PP_OP_REGION_ALIGN] = "region-align",
		[PP_OP_DESTROY] = "destroy-namespace",
		[PP_OP_CREATE] = "create-namespace",
		[PP_OP_RECONFIGURE] = "reconfigure-namespace",
		[PP_OP_MEMMAP_ON_MEMORY] = "memmap-on-memory",
		[PP_OP_KMEM] = "system-ram",
	};

	return (unsigned int)k < ARRAY_SIZE(names) ?
	       names[k] : "unknown";
}

const char *pp_role_name(enum pp_role r)
{
	static const char *const names[] = {
		[PP_ROLE_KMEM] = "kmem", [PP_ROLE_SPACER] = "spacer",
		[PP_ROLE_FILLER] = "filler", [PP_ROLE_LEFTOVER] = "leftover",
	};

	return (unsigned int)r < ARRAY_SIZE(names) ?
	       names[r] : "unknown";
}

const char *pp_zone_name(enum pp_zone z)
{
	return z == PP_ZONE_NORMAL ? "normal" : "movable";
}
