/* SPDX-License-Identifier: GPL-2.0 */
/* Byte counts as people type and read them. */
#ifndef PMEMPLAN_UNITS_H
#define PMEMPLAN_UNITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * "4096", "0x1000", "2M", "2MiB", "1.5G" (binary units: k, M, G, T, P;
 * an optional "iB" or "B").  Returns 0, -EINVAL for a malformed value,
 * -ERANGE when it does not fit in 64 bits.
 */
int pp_parse_size(const char *s, uint64_t *out);

/*
 * "4.0 GiB", "62 MiB", "2 MiB", "512 B": one decimal when the value is not
 * a whole number of the unit, none otherwise.  Returns buf.
 */
char *pp_human_size(uint64_t v, char *buf, size_t len);

#define PP_HUMAN_LEN 32

/*
 * "32 MiB", "16 KiB", "4097 bytes": the value exactly, in the largest of
 * those units that divides it, for sizes and aligns a rule or a step
 * names (where pp_human_size()'s rounding would hide why).  Returns buf.
 */
char *pp_exact_size(uint64_t v, char *buf, size_t len);

/*
 * A size in a report: "-" when unknown (PP_UNKNOWN), the exact byte count
 * when bytes (--bytes), else pp_human_size().  Returns the text (buf, or
 * the constant "-").
 */
const char *pp_size_text(uint64_t v, bool bytes, char *buf, size_t len);

#endif /* PMEMPLAN_UNITS_H */
