// SPDX-License-Identifier: GPL-2.0
/*
 * Reader: the streaming JSON tokenizer and the size cap.
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include "snapshot/reader.h"

/*
 * The tokener's nesting limit (json-c's default).  A show document nests
 * about 7 deep; the limit is what stops 10 MB of '[' from recursing.
 */
#define JSON_DEPTH		32
#define STR(x)			STR_(x)
#define STR_(x)			#x

static void advance(struct rd_feed *f, const char *buf, size_t len)
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

static int syntax(struct rd_feed *f, const char *buf, size_t at,
		  const char *what, const char *hint)
{
	advance(f, buf, at);
	return rd_fail(f->c, "malformed JSON at byte %zu (line %lu, column %zu): %s%s",
		       f->off, f->line, f->col + 1, what, hint);
}

static bool is_ws(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* After the document: anything but whitespace is an error. */
static int feed_tail(struct rd_feed *f, const char *buf, size_t len)
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

static int too_big(struct rd *c)
{
	return rd_fail(c, "input larger than %u MiB: not a pmemplan snapshot",
		       INPUT_MAX >> 20);
}

int rd_feed(struct rd_feed *f, const char *buf, size_t len)
{
	enum json_tokener_error e;
	const char *nul;
	size_t n, i, end;

	/* f->off is all that came before: the cap is on the whole input */
	if (len > INPUT_MAX - f->off)
		return too_big(f->c);

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
int rd_feed_end(struct rd_feed *f)
{
	if (f->done)
		return 0;
	if (f->blank)
		return rd_fail(f->c, "empty input: not a pmemplan snapshot (expected the output of pmemplan show --json)");
	/* a top-level number is only complete once the tokener sees a NUL */
	f->root = json_tokener_parse_ex(f->tok, "", 1);
	if (json_tokener_get_error(f->tok) == json_tokener_success) {
		f->done = true;
		return 0;
	}
	return syntax(f, "", 0, "unexpected end of data", "");
}

int rd_feed_init(struct rd_feed *f, struct rd *c)
{
	memset(f, 0, sizeof(*f));
	f->c = c;
	f->line = 1;
	f->blank = true;
	f->tok = json_tokener_new_ex(JSON_DEPTH);
	if (!f->tok)
		return rd_nomem(c);
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

void rd_feed_fini(struct rd_feed *f)
{
	json_object_put(f->root);
	json_tokener_free(f->tok);
}
