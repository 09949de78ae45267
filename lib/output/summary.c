// SPDX-License-Identifier: GPL-2.0
/*
 * A region in one sentence ("region0: 4.0 GiB, 3.9 GiB usable as RAM,
 * 128 MiB lost: ..."), for the human view and the JSON "summary", and the
 * size words both views print.
 */
#include <inttypes.h>
#include <stdio.h>
#include "output/output.h"
#include "output/show.h"
#include "util/units.h"

const char *pp_kmem_source_name(enum pp_kmem_source s)
{
	return s == PP_KMEM_MEASURED ? "measured" : "predicted";
}

/* Append ", <size> <what>" when size is not zero. */
static size_t add_cause(char *buf, size_t len, size_t pos, bool *first,
			uint64_t v, const char *what, bool bytes)
{
	char s[PP_HUMAN_LEN];

	if (!v || pos >= len)
		return pos;
	pos += (size_t)snprintf(buf + pos, len - pos, "%s%s %s",
				*first ? ": " : ", ",
				pp_size_text(v, bytes, s, sizeof(s)), what);
	*first = false;
	return pos;
}

/*
 * The RAM of the devdax namespaces: all hot-plugged ("usable as RAM"),
 * or what is hot-plugged now and what would be once each is bound.
 */
static size_t ram_now_and_bound(const struct pp_region_report *rr,
				bool bytes, char *buf, size_t len, size_t pos)
{
	char a[PP_HUMAN_LEN], b[PP_HUMAN_LEN];

	if (pos >= len)
		return pos;
	if (rr->kmem == rr->kmem_ready)
		return pos + (size_t)snprintf(buf + pos, len - pos,
			", %s usable as RAM",
			pp_size_text(rr->kmem, bytes, a, sizeof(a)));
	return pos + (size_t)snprintf(buf + pos, len - pos,
		", %s hot-plugged now, %s as RAM once bound to kmem",
		pp_size_text(rr->kmem, bytes, a, sizeof(a)),
		pp_size_text(rr->kmem_ready, bytes, b, sizeof(b)));
}

void pp_region_summary(const struct pp_region_report *rr, bool bytes,
		       char *buf, size_t len)
{
	char a[PP_HUMAN_LEN], b[PP_HUMAN_LEN], c[PP_HUMAN_LEN];
	const struct pp_loss *l = &rr->loss;
	bool first = true;
	size_t pos;

	pos = (size_t)snprintf(buf, len, "%s: %s", rr->r->dev,
			       pp_size_text(rr->capacity, bytes, a, sizeof(a)));
	if (pos >= len)
		return;		/* cut: the rest would write past buf */
	if (!rr->addresses) {
		snprintf(buf + pos, len - pos,
			 ", physical layout unknown (needs root)");
		return;
	}
	if (rr->kmem || rr->kmem_ready || l->total) {
		pos = ram_now_and_bound(rr, bytes, buf, len, pos);
		pos += (size_t)snprintf(buf + pos, len - pos, ", %s lost",
			pp_size_text(l->total, bytes, c, sizeof(c)));
		pos = add_cause(buf, len, pos, &first, l->info_block,
				"info block", bytes);
		pos = add_cause(buf, len, pos, &first, l->memmap,
				"struct-page reserve", bytes);
		pos = add_cause(buf, len, pos, &first, l->head_gap,
				"before the first memory block", bytes);
		pos = add_cause(buf, len, pos, &first, l->tail_gap,
				"after the last memory block", bytes);
		pos = add_cause(buf, len, pos, &first, l->end_trunc,
				"cut to the alignment", bytes);
		pos = add_cause(buf, len, pos, &first, l->refused,
				"in namespaces the kernel refuses", bytes);
	} else {
		pos += (size_t)snprintf(buf + pos, len - pos,
					", no devdax namespace");
	}
	if (rr->kmem > rr->ram_gain && pos < len)
		pos += (size_t)snprintf(buf + pos, len - pos,
				"; %s of it holds its own struct pages",
				pp_size_text(rr->kmem - rr->ram_gain, bytes,
					     a, sizeof(a)));
	if (rr->dram_memmap && pos < len)
		pos += (size_t)snprintf(buf + pos, len - pos,
				"; its struct pages take %s of DRAM",
				pp_size_text(rr->dram_memmap, bytes, a,
					     sizeof(a)));
	if (rr->other_modes && pos < len)
		pos += (size_t)snprintf(buf + pos, len - pos,
				"; %s in fsdax, sector or raw namespaces",
				pp_size_text(rr->other_modes, bytes, a,
					     sizeof(a)));
	if (rr->free_bytes && pos < len)
		snprintf(buf + pos, len - pos,
			 "; %s free could yield %s of RAM",
			 pp_size_text(rr->free_bytes, bytes, a, sizeof(a)),
			 pp_size_text(rr->yield, bytes, b, sizeof(b)));
}


/*
 * "CXL region0 (ram, 1-way, 256 B granularity, window decoder0.0): 4.0 GiB,
 * 2.0 GiB usable as RAM, 2.0 GiB lost: ...": the window's head gap said
 * when it is what the region's own head gap comes from.
 */
void pp_cxl_summary(const struct pp_cxl_report *cr, uint64_t block_size,
		    bool bytes, char *buf, size_t len)
{
	const struct pp_cxl_region *c = cr->c;
	char a[PP_HUMAN_LEN], b[PP_HUMAN_LEN], g[PP_HUMAN_LEN];
	bool first = true;
	size_t pos;

	if (c->granularity == PP_UNKNOWN)
		snprintf(g, sizeof(g), "unknown");
	else
		snprintf(g, sizeof(g), "%" PRIu64 " B", c->granularity);
	pos = (size_t)snprintf(buf, len, "CXL %s (%s, %u-way, %s granularity, "
			       "window %s): %s", c->dev,
			       pp_cxl_mode_name(c->mode), c->ways, g,
			       c->decoder[0] ? c->decoder : "unknown",
			       pp_size_text(cr->capacity, bytes, a, sizeof(a)));
	if (pos >= len)
		return;
	if (c->mode == PP_CXL_PMEM) {
		snprintf(buf + pos, len - pos, ", persistent: %s%s",
			 c->nd_region[0] ? "nvdimm " : "no nvdimm region",
			 c->nd_region);
		return;
	}
	if (c->mode != PP_CXL_RAM)
		return;
	if (!c->nr_dax) {
		snprintf(buf + pos, len - pos, ", no dax region (%s)",
			 c->enabled ? "dax_cxl not loaded?" :
			 "not bound to cxl_region");
		return;
	}
	if (!cr->addresses) {
		snprintf(buf + pos, len - pos,
			 ", physical layout unknown (needs root)");
		return;
	}
	if (cr->kmem == cr->kmem_if_bound)
		pos += (size_t)snprintf(buf + pos, len - pos,
				", %s usable as RAM (%s)",
				pp_size_text(cr->kmem, bytes, a, sizeof(a)),
				pp_kmem_source_name(cr->source));
	else
		pos += (size_t)snprintf(buf + pos, len - pos,
				", %s hot-plugged now, %s as RAM once bound to kmem",
				pp_size_text(cr->kmem, bytes, a, sizeof(a)),
				pp_size_text(cr->kmem_if_bound, bytes, b,
					     sizeof(b)));
	if (pos >= len)
		return;
	pos += (size_t)snprintf(buf + pos, len - pos, ", %s lost",
				pp_size_text(cr->lost, bytes, a, sizeof(a)));
	pos = add_cause(buf, len, pos, &first, cr->head_gap,
			"before the first memory block", bytes);
	pos = add_cause(buf, len, pos, &first, cr->tail_gap,
			"after the last memory block", bytes);
	pos = add_cause(buf, len, pos, &first, cr->mom_bytes,
			"memmap on the memory", bytes);
	pos = add_cause(buf, len, pos, &first, cr->unassigned,
			"in no dax device", bytes);
	if (cr->dram_memmap && pos < len)
		pos += (size_t)snprintf(buf + pos, len - pos,
				"; its struct pages take %s of DRAM",
				pp_size_text(cr->dram_memmap, bytes, a,
					     sizeof(a)));
	if (cr->window_head && cr->head_gap && pos < len)
		snprintf(buf + pos, len - pos,
			 "; the window starts %s before a %s block boundary",
			 pp_size_text(cr->window_head, bytes, a, sizeof(a)),
			 pp_size_text(block_size, bytes, b, sizeof(b)));
}
