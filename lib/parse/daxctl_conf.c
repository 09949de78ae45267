// SPDX-License-Identifier: GPL-2.0
/*
 * The text of a daxctl.conf.d file (daxctl-reconfigure-device(1),
 * "PERSISTENT RECONFIGURATION"): the [reconfigure-device NAME] sections
 * "pmemplan apply --write-config" writes and "--restore" reads, read the
 * way daxctl reads them (ndctl's util/parse-configs.c through iniparser,
 * daxctl/device.c parse_config_reconfig_set_params()), so that one file
 * means the same to both.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "parse/parse.h"
#include "util/util.h"

#define CONF_SECTION	"reconfigure-device"
#define CONF_LINE_MAX	512

static void conf_trim(char *s)
{
	size_t n = strlen(s), i = 0;

	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	while (isspace((unsigned char)s[i]))
		i++;
	memmove(s, s + i, n - i + 1);
}

/* A value as iniparser gives it: trimmed, without its quotes. */
static void conf_value(char *s)
{
	size_t n;

	conf_trim(s);
	n = strlen(s);
	if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0]) {
		memmove(s, s + 1, n - 2);
		s[n - 2] = '\0';
	}
}

/*
 * daxctl/device.c conf_string_to_bool(): the first character decides,
 * t/T/y/Y/1 true, f/F/n/N/0 false.  1, 0, or -EINVAL.
 */
static int conf_bool(const char *s)
{
	if (strchr("tTyY1", s[0]) && s[0])
		return 1;
	if (strchr("fFnN0", s[0]) && s[0])
		return 0;
	return -EINVAL;
}

/* The canonical form libuuid's uuid_parse() takes: 8-4-4-4-12 hex. */
static bool conf_is_uuid(const char *s)
{
	size_t i;

	if (strlen(s) != 36)
		return false;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!isxdigit((unsigned char)s[i])) {
			return false;
		}
	}
	return true;
}

struct conf_parser {
	const char *uuid;		/* the one looked for, NULL: count */
	struct pp_daxconf_section cur, *found;
	bool in_section;		/* a reconfigure-device one */
	bool seen_mode, seen_online, seen_movable;
	int count;
	unsigned int found_line;
	char *err;
	size_t errlen;
};

static int conf_error(struct conf_parser *p, unsigned int line,
		      const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int conf_error(struct conf_parser *p, unsigned int line,
		      const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(p->err, p->errlen, "line %u: ", line);
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < p->errlen)
		vsnprintf(p->err + n, p->errlen - n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* The end of a reconfigure-device section: complete, and the one? */
static int conf_end_section(struct conf_parser *p)
{
	struct pp_daxconf_section *s = &p->cur;

	if (!p->in_section)
		return 0;
	p->in_section = false;
	if (!s->uuid[0])
		return conf_error(p, s->line, "[%s %s] has no nvdimm.uuid",
				  CONF_SECTION, s->name);
	p->count++;
	if (!p->uuid || strcasecmp(s->uuid, p->uuid))
		return 0;
	if (p->found_line)
		return conf_error(p, s->line,
				  "nvdimm.uuid %s is also in the section of line %u",
				  s->uuid, p->found_line);
	p->found_line = s->line;
	*p->found = *s;
	return 0;
}

static int conf_section(struct conf_parser *p, char *l, unsigned int line)
{
	size_t n = strlen(l), k = strlen(CONF_SECTION);
	char *name;
	int rc;

	rc = conf_end_section(p);
	if (rc)
		return rc;
	if (l[n - 1] != ']')
		return conf_error(p, line, "'[' without ']'");
	l[n - 1] = '\0';
	name = l + 1;
	conf_trim(name);
	/* other sections are other tools' business (ndctl's monitor, ...) */
	if (strncmp(name, CONF_SECTION, k) ||
	    !isspace((unsigned char)name[k]))
		return 0;
	name += k;
	conf_trim(name);
	memset(&p->cur, 0, sizeof(p->cur));
	/* daxctl's defaults (daxctl-reconfigure-device(1)) */
	p->cur.system_ram = p->cur.online = p->cur.movable = true;
	p->cur.line = line;
	p->seen_mode = p->seen_online = p->seen_movable = false;
	if (strlen(name) >= sizeof(p->cur.name))
		return conf_error(p, line, "section name longer than %zu characters",
				  sizeof(p->cur.name) - 1);
	pp_strscpy(p->cur.name, sizeof(p->cur.name), name);
	p->in_section = true;
	return 0;
}

static int conf_key(struct conf_parser *p, char *l, unsigned int line)
{
	struct pp_daxconf_section *s = &p->cur;
	char *eq = strchr(l, '='), *key = l, *val;
	bool *seen = NULL, *dst = NULL;
	int b;

	if (!eq)
		return conf_error(p, line, "neither a [section], a key = value nor a comment");
	*eq = '\0';
	val = eq + 1;
	conf_trim(key);
	conf_value(val);
	if (!key[0])
		return conf_error(p, line, "'=' without a key");
	if (!p->in_section)
		return 0;
	if (!strcasecmp(key, "nvdimm.uuid")) {
		if (s->uuid[0])
			return conf_error(p, line, "nvdimm.uuid given twice");
		if (!conf_is_uuid(val))
			return conf_error(p, line, "nvdimm.uuid '%s' is not a uuid",
					  val);
		pp_strscpy(s->uuid, sizeof(s->uuid), val);
		return 0;
	}
	if (!strcasecmp(key, "mode")) {
		if (p->seen_mode)
			return conf_error(p, line, "mode given twice");
		p->seen_mode = true;
		if (!strcmp(val, "system-ram"))
			s->system_ram = true;
		else if (!strcmp(val, "devdax"))
			s->system_ram = false;
		else
			return conf_error(p, line, "mode '%s': use system-ram or devdax",
					  val);
		return 0;
	}
	if (!strcasecmp(key, "online")) {
		seen = &p->seen_online;
		dst = &s->online;
	} else if (!strcasecmp(key, "movable")) {
		seen = &p->seen_movable;
		dst = &s->movable;
	} else {
		return 0;	/* daxctl ignores other keys too */
	}
	if (*seen)
		return conf_error(p, line, "%s given twice", key);
	*seen = true;
	b = conf_bool(val);
	if (b < 0)
		return conf_error(p, line, "%s '%s': use true or false", key, val);
	*dst = b;
	return 0;
}

int pp_daxctl_conf_find(const char *text, const char *uuid,
			struct pp_daxconf_section *sec, char *err,
			size_t errlen)
{
	struct conf_parser p = {
		.uuid = uuid, .found = sec, .err = err, .errlen = errlen,
	};
	char l[CONF_LINE_MAX + 2];
	const char *s = text, *nl;
	unsigned int line = 0;
	size_t n;
	int rc;

	if (err && errlen)
		err[0] = '\0';
	while (*s) {
		line++;
		nl = strchr(s, '\n');
		n = nl ? (size_t)(nl - s) : strlen(s);
		if (n > CONF_LINE_MAX)
			return conf_error(&p, line, "longer than %d characters",
					  CONF_LINE_MAX);
		memcpy(l, s, n);
		l[n] = '\0';
		s += n + (nl ? 1 : 0);
		conf_trim(l);
		if (!l[0] || l[0] == '#' || l[0] == ';')
			continue;
		rc = l[0] == '[' ? conf_section(&p, l, line) :
				   conf_key(&p, l, line);
		if (rc)
			return rc;
	}
	rc = conf_end_section(&p);
	if (rc)
		return rc;
	return uuid ? p.found_line != 0 : p.count;
}
