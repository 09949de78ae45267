// SPDX-License-Identifier: GPL-2.0
/*
 * The operations a region plan is made of, in the order apply carries them
 * out, the advice printed beside them, and the outcome they predict.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "planner/planner_ctx.h"
#include "util/util.h"

struct pp_op *pl_add_op(struct ctx *c, enum pp_op_kind kind)
{
	struct pp_region_plan *rp = c->rp;
	struct pp_op *op;

	if (rp->nr_ops == c->cap_ops) {
		unsigned int cap = c->cap_ops ? 2 * c->cap_ops : 8;

		op = realloc(rp->ops, cap * sizeof(*op));
		if (!op)
			return NULL;
		rp->ops = op;
		c->cap_ops = cap;
	}
	op = &rp->ops[rp->nr_ops++];
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->zone = c->o->zone;
	return op;
}

void pl_advise(struct pp_region_plan *rp, const char *fmt, ...)
{
	va_list ap;

	if (rp->nr_advice == PP_MAX_ADVICE)
		return;
	va_start(ap, fmt);
	vsnprintf(rp->advice[rp->nr_advice++], sizeof(rp->advice[0]), fmt,
		  ap);
	va_end(ap);
}

int pl_create(struct ctx *c, enum pp_role role, uint64_t start,
	      uint64_t size, enum pp_ns_mode mode, enum pp_map map,
	      uint64_t align)
{
	struct pp_op *op = pl_add_op(c, PP_OP_CREATE);

	if (!op)
		return -ENOMEM;
	op->role = role;
	op->start = start;
	op->size = size;
	op->mode = mode;
	op->map = map;
	op->align = align;
	return 0;
}

/* An operation on the dax device of the namespace [start, +size). */
static int dax_op(struct ctx *c, enum pp_op_kind kind, const char *dev,
		  uint64_t start, uint64_t size)
{
	struct pp_op *op = pl_add_op(c, kind);

	if (!op)
		return -ENOMEM;
	pp_strscpy(op->dev, sizeof(op->dev), dev);
	op->start = start;
	op->size = size;
	return 0;
}

/* The operations that bind a planned kmem namespace. */
int pl_bind_ops(struct ctx *c, const char *dev, uint64_t start,
		uint64_t size)
{
	if (c->mom && dax_op(c, PP_OP_MEMMAP_ON_MEMORY, dev, start, size))
		return -ENOMEM;
	return dax_op(c, PP_OP_KMEM, dev, start, size);
}

/* Account a planned kmem namespace into the region's outcome. */
void pl_count_kmem(struct ctx *c, const struct pp_ns_account *a)
{
	struct pp_outcome *out = &c->rp->predicted;
	uint64_t bytes = a->kmem.end - a->kmem.start;

	out->kmem += bytes;
	out->blocks += a->kmem.blocks;
	out->ram_gain += a->ram_gain;
	out->dram_memmap += a->dram_memmap;
	if (c->blocks_left != UINT64_MAX)
		c->blocks_left -= a->kmem.blocks;
}

/* Insert a new operation at index at (before the ones there). */
struct pp_op *pl_insert_op(struct ctx *c, unsigned int at,
			   enum pp_op_kind kind)
{
	struct pp_region_plan *rp = c->rp;
	struct pp_op *op = pl_add_op(c, kind), tmp;

	if (!op)
		return NULL;
	tmp = *op;
	memmove(&rp->ops[at + 1], &rp->ops[at],
		(rp->nr_ops - 1 - at) * sizeof(*op));
	rp->ops[at] = tmp;
	return &rp->ops[at];
}
