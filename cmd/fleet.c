// SPDX-License-Identifier: GPL-2.0
/*
 * plan --input of many snapshots: several --input, a directory (its
 * *.json, by name), or JSON Lines on standard input (one "show --json"
 * document a line, as "jq -c" writes them).  Each snapshot is read,
 * planned, put in the report and freed before the next is read, so that
 * the process holds one snapshot at a time; a snapshot that cannot be read
 * or planned is named on stderr in one line and the others are planned.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "output/fleet_output.h"
#include "planner/fleet.h"
#include "planner/planner.h"
#include "pmemplan.h"
#include "snapshot/snapshot.h"

/* One line of standard input, at most PP_SNAPSHOT_MAX + 1 bytes kept. */
struct line {
	char *buf;
	size_t len, cap;
	bool too_long;		/* more than PP_SNAPSHOT_MAX: not kept */
};

struct pp_fleet_src {
	const char *const *inputs;	/* the --input list */
	unsigned int nr_inputs, next;
	/* the directory being read: its *.json, sorted */
	const char *dir;
	char **names;
	size_t nr_names, next_name;
	/*
	 * Standard input: what was read of it to tell JSON Lines from one
	 * document (a document's reader takes it first); for JSON Lines the
	 * first document is head[first_off, +first_len).
	 */
	char *head;
	size_t headlen, first_off, first_len;
	bool jsonl;			/* standard input is JSON Lines */
	bool in_stdin;			/* its lines are being planned */
	bool have_first;		/* the first is not planned yet */
	struct line cur;
	unsigned long lineno, first_lineno;
};

static bool is_blank(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			return false;
	return true;
}

/*
 * Read one line (with its newline) into l.  1 when there is one, 0 at the
 * end, -errno on a read error or ENOMEM.  A line longer than a snapshot
 * may be is consumed but not kept whole (l->too_long).
 */
static int read_line(FILE *in, struct line *l)
{
	int ch;

	l->len = 0;
	l->too_long = false;
	while ((ch = getc_unlocked(in)) != EOF) {
		if (l->len <= PP_SNAPSHOT_MAX) {
			if (l->len + 1 >= l->cap) {
				size_t cap = l->cap ? l->cap * 2 : 4096;
				char *b = realloc(l->buf, cap);

				if (!b)
					return -ENOMEM;
				l->buf = b;
				l->cap = cap;
			}
			l->buf[l->len++] = (char)ch;
		} else {
			l->too_long = true;
		}
		if (ch == '\n')
			break;
	}
	if (ferror(in))
		return -EIO;
	return l->len || l->too_long;
}

/* Append l to what was read of standard input. */
static int keep_head(struct pp_fleet_src *s, const struct line *l)
{
	char *h = realloc(s->head, s->headlen + l->len + 1);

	if (!h)
		return -ENOMEM;
	memcpy(h + s->headlen, l->buf, l->len);
	s->head = h;
	s->headlen += l->len;
	return 0;
}

/*
 * Standard input is JSON Lines when its first non-blank line is a whole
 * JSON value and another non-blank line follows; otherwise it is one
 * document, of which s->head holds what was read, so that it reads (and
 * fails) exactly as it did before plan took many.
 */
static int peek_stdin(struct pp_fleet_src *s)
{
	struct line *l = &s->cur;
	int rc;

	while ((rc = read_line(stdin, l)) > 0) {
		s->lineno++;
		if (l->too_long || !is_blank(l->buf, l->len))
			break;
		rc = keep_head(s, l);
		if (rc)
			return rc;
	}
	if (rc <= 0)
		return rc;
	rc = keep_head(s, l);
	if (rc || l->too_long || !pp_snapshot_whole_line(l->buf, l->len))
		return rc;
	s->first_off = s->headlen - l->len;
	s->first_len = l->len;
	s->first_lineno = s->lineno;
	while ((rc = read_line(stdin, l)) > 0) {
		s->lineno++;
		if (l->too_long || !is_blank(l->buf, l->len)) {
			s->jsonl = s->have_first = true;
			return 0;
		}
		/* blank lines after one line: still one document */
		rc = keep_head(s, l);
		if (rc)
			return rc;
	}
	l->len = 0;
	return rc;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(struct pp_fleet_src *s)
{
	size_t i;

	for (i = 0; i < s->nr_names; i++)
		free(s->names[i]);
	free(s->names);
	s->names = NULL;
	s->nr_names = s->next_name = 0;
	s->dir = NULL;
}

static bool ends_json(const char *name)
{
	size_t n = strlen(name);

	return n > 5 && !strcmp(name + n - 5, ".json");
}

/* The *.json of dir (dot files left out, as ls does), sorted by name. */
static int list_dir(struct pp_fleet_src *s, const char *dir, char *err,
		    size_t errlen)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t cap = 0;
	int rc = 0;

	if (!d) {
		rc = -errno;
		snprintf(err, errlen, "cannot read directory: %s",
			 strerror(-rc));
		return rc;
	}
	while ((e = readdir(d))) {
		char **n;

		if (e->d_name[0] == '.' || !ends_json(e->d_name))
			continue;
		if (s->nr_names == cap) {
			cap = cap ? cap * 2 : 64;
			n = realloc(s->names, cap * sizeof(*n));
			if (!n) {
				rc = -ENOMEM;
				break;
			}
			s->names = n;
		}
		s->names[s->nr_names] = strdup(e->d_name);
		if (!s->names[s->nr_names]) {
			rc = -ENOMEM;
			break;
		}
		s->nr_names++;
	}
	closedir(d);
	if (rc) {
		snprintf(err, errlen, "out of memory");
		free_names(s);
		return rc;
	}
	if (!s->nr_names) {
		snprintf(err, errlen, "no *.json snapshots in this directory");
		return -ENOENT;
	}
	qsort(s->names, s->nr_names, sizeof(*s->names), cmp_names);
	s->dir = dir;
	return 0;
}

static bool is_dir(const char *path)
{
	struct stat st;

	return strcmp(path, "-") && !stat(path, &st) && S_ISDIR(st.st_mode);
}

int pp_fleet_open(struct pp_common_opts *o, struct pp_fleet_src **src,
		  bool *fleet)
{
	struct pp_fleet_src *s = calloc(1, sizeof(*s));
	unsigned int i, nr_stdin = 0;
	int rc;

	*src = s;
	*fleet = false;
	if (!s) {
		pp_error("out of memory");
		return PP_EXIT_FAILED;
	}
	s->inputs = o->inputs;
	s->nr_inputs = o->nr_inputs;
	for (i = 0; i < o->nr_inputs; i++)
		nr_stdin += !strcmp(o->inputs[i], "-");
	if (nr_stdin > 1) {
		pp_error("plan: --input=- given %u times: standard input is read once",
			 nr_stdin);
		return PP_EXIT_USAGE;
	}
	if (nr_stdin) {
		rc = peek_stdin(s);
		if (rc) {
			pp_error("snapshot <stdin>: %s", strerror(-rc));
			return rc == -ENOMEM ? PP_EXIT_FAILED : PP_EXIT_USAGE;
		}
	}
	*fleet = o->nr_inputs > 1 || s->jsonl || is_dir(o->input);
	if (!*fleet && nr_stdin) {
		o->input_head = s->head;
		o->input_headlen = s->headlen;
	}
	return PP_EXIT_OK;
}

void pp_fleet_close(struct pp_fleet_src *s)
{
	if (!s)
		return;
	free_names(s);
	free(s->cur.buf);
	free(s->head);
	free(s);
}

/*
 * What one snapshot is called: the host name it records (show --json of
 * a live system), else its file without ".json", or <stdin>:N.
 */
static void host_name(const struct pp_topology *t, const char *source,
		      char *buf, size_t len)
{
	const char *base = strrchr(source, '/');
	size_t n;

	if (t->plat.hostname[0]) {
		snprintf(buf, len, "%s", t->plat.hostname);
		return;
	}
	base = base ? base + 1 : source;
	n = strlen(base);
	if (ends_json(base))
		n -= 5;
	snprintf(buf, len, "%.*s", (int)n, base);
}

/* Read a snapshot file: 0, or -errno with the line in err. */
static int read_file(const char *path, struct pp_topology *t, char *err,
		     size_t errlen)
{
	FILE *in = fopen(path, "r");
	int rc;

	if (!in) {
		rc = -errno;
		snprintf(err, errlen, "cannot open: %s", strerror(errno));
		return rc;
	}
	rc = pp_snapshot_read(in, t, err, errlen);
	fclose(in);
	return rc;
}

/* One line of JSON Lines, its newline the end of the line only: a message
 * "at line 1" means this line. */
static int next_line_parse(const char *text, size_t len, bool too_long,
			   struct pp_topology *t, char *err, size_t errlen,
			   int *read_rc)
{
	if (too_long) {
		snprintf(err, errlen, "line longer than %u MiB: not a pmemplan snapshot",
			 PP_SNAPSHOT_MAX >> 20);
		*read_rc = -EINVAL;
		return 1;
	}
	while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		len--;
	*read_rc = pp_snapshot_parse(text, len, t, err, errlen);
	return 1;
}

/*
 * The next line of JSON Lines: 1 with *read_rc and source set, 0 at the
 * end of standard input.  Blank lines are no documents.
 */
static int next_line(struct pp_fleet_src *s, struct pp_topology *t,
		     char *source, size_t srclen, char *err, size_t errlen,
		     int *read_rc)
{
	int rc;

	if (s->have_first) {
		s->have_first = false;
		snprintf(source, srclen, "<stdin>:%lu", s->first_lineno);
		return next_line_parse(s->head + s->first_off, s->first_len,
				       false, t, err, errlen, read_rc);
	}
	if (!s->cur.len && !s->cur.too_long) {
		while ((rc = read_line(stdin, &s->cur)) > 0) {
			s->lineno++;
			if (s->cur.too_long ||
			    !is_blank(s->cur.buf, s->cur.len))
				break;
		}
		if (rc < 0) {
			snprintf(source, srclen, "<stdin>:%lu", s->lineno + 1);
			snprintf(err, errlen, "%s", strerror(-rc));
			*read_rc = rc;
			s->in_stdin = false;
			return 1;
		}
		if (!rc)
			return 0;
	}
	snprintf(source, srclen, "<stdin>:%lu", s->lineno);
	rc = next_line_parse(s->cur.buf, s->cur.len, s->cur.too_long, t, err,
			     errlen, read_rc);
	s->cur.len = 0;
	s->cur.too_long = false;
	return rc;
}

/*
 * The next snapshot, in the order of the --input list: 1 with t read (or
 * *read_rc a negative errno, err saying why), source naming it either
 * way; 0 when there are no more.
 */
static int next_snapshot(struct pp_fleet_src *s, struct pp_topology *t,
			 char *source, size_t srclen, char *err,
			 size_t errlen, int *read_rc)
{
	const char *in;
	int rc;

	memset(t, 0, sizeof(*t));
	for (;;) {
		if (s->dir && s->next_name < s->nr_names) {
			const char *n = s->names[s->next_name++];
			size_t dl = strlen(s->dir);

			snprintf(source, srclen, "%s%s%s", s->dir,
				 s->dir[dl - 1] == '/' ? "" : "/", n);
			*read_rc = read_file(source, t, err, errlen);
			return 1;
		}
		free_names(s);
		if (s->in_stdin) {
			if (next_line(s, t, source, srclen, err, errlen,
				      read_rc))
				return 1;
			s->in_stdin = false;
		}
		if (s->next >= s->nr_inputs)
			return 0;
		in = s->inputs[s->next++];
		if (!strcmp(in, "-")) {
			if (s->jsonl) {
				s->in_stdin = true;
				continue;
			}
			snprintf(source, srclen, "<stdin>");
			*read_rc = pp_snapshot_read_rest(s->head, s->headlen,
							 stdin, t, err,
							 errlen);
			return 1;
		}
		snprintf(source, srclen, "%s", in);
		if (!is_dir(in)) {
			*read_rc = read_file(in, t, err, errlen);
			return 1;
		}
		rc = list_dir(s, in, err, errlen);
		if (rc) {
			*read_rc = rc;
			return 1;
		}
	}
}

int pp_fleet_plan(struct pp_fleet_src *s, const struct pp_common_opts *o,
		  const struct pp_plan_opts *po)
{
	struct pp_fleet_totals tot = { 0 };
	struct pp_fleet_table *ft = NULL;
	struct pp_fleet_json fj;
	char source[4096], name[256], err[PP_ERR_LEN];
	struct pp_fleet_host h;
	struct pp_topology t;
	int rc, read_rc, status = PP_EXIT_OK;

	if (o->json) {
		rc = pp_fleet_json_begin(&fj, stdout);
	} else {
		ft = pp_fleet_human_new(o->bytes);
		rc = ft ? 0 : -ENOMEM;
	}
	while (!rc && next_snapshot(s, &t, source, sizeof(source), err,
				    sizeof(err), &read_rc)) {
		if (!read_rc)
			read_rc = pp_prepare_topology(o, &t, err, sizeof(err));
		if (!read_rc) {
			memset(&h, 0, sizeof(h));
			host_name(&t, source, name, sizeof(name));
			h.name = name;
			h.source = source;
			read_rc = pp_fleet_plan_host(&t, po, &h, err,
						     sizeof(err));
			pp_topology_free(&t);
		}
		if (read_rc) {
			/* the one line that names it; the others go on */
			pp_error("snapshot %s: %s", source, err);
			tot.failed++;
			if (status != PP_EXIT_FAILED)
				status = read_rc == -ENOMEM ? PP_EXIT_FAILED :
					 PP_EXIT_USAGE;
			if (o->json)
				rc = pp_fleet_json_failure(&fj, source, err);
			continue;
		}
		pp_fleet_totals_add(&tot, &h);
		if (h.shortfall[0] && status == PP_EXIT_OK)
			status = PP_EXIT_USAGE;
		rc = o->json ? pp_fleet_json_host(&fj, &h) :
		     pp_fleet_human_row(ft, &h);
	}
	if (o->json) {
		/* releases what it keeps, even after an error */
		int end = pp_fleet_json_end(&fj, &tot);

		if (!rc)
			rc = end;
	} else if (!rc) {
		rc = pp_fleet_human_print(stdout, ft, &tot);
	}
	pp_fleet_human_free(ft);
	if (rc) {
		pp_error("plan: out of memory");
		return PP_EXIT_FAILED;
	}
	return status;
}
