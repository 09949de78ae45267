// SPDX-License-Identifier: GPL-2.0
/*
 * The bookkeeping of an apply run: every change to the system is one
 * numbered step, begun with apply_begin_step() (where the testing hook and
 * a pending signal make it fail before it changes anything), and the first
 * failure or refusal is recorded in the result with the operation under
 * way.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "apply/apply_ctx.h"

volatile sig_atomic_t apply_interrupted;

/* -vv: the libraries' own messages too (system/libctx.c prints them) */
int apply_lib_verbose;

/* ------------------------------------------------------------------ */
/* Steps and failures                                                  */
/* ------------------------------------------------------------------ */

/* Record the failure of step "what" of the current operation. */
int apply_fail(struct apply_ctx *a, const char *what, int rc)
{
	struct pp_apply_result *res = a->res;

	if (res->error[0])
		return rc;
	if (a->injected)
		snprintf(res->error, sizeof(res->error),
			 "%s: %s: injected failure (PMEMPLAN_TEST_FAIL_STEP=%u)",
			 a->desc, what, a->o->fail_step);
	else if (rc == -EINTR)
		snprintf(res->error, sizeof(res->error),
			 "%s: %s: interrupted by signal %d", a->desc, what,
			 (int)apply_interrupted);
	else
		snprintf(res->error, sizeof(res->error), "%s: %s: %s",
			 a->desc, what, strerror(-rc));
	return rc;
}

/* Like apply_fail(), with our own words for why. */
int apply_failf(struct apply_ctx *a, int rc, const char *fmt, ...)
{
	struct pp_apply_result *res = a->res;
	size_t n;
	va_list ap;

	if (res->error[0])
		return rc;
	snprintf(res->error, sizeof(res->error), "%s: ", a->desc);
	n = strlen(res->error);
	va_start(ap, fmt);
	vsnprintf(res->error + n, sizeof(res->error) - n, fmt, ap);
	va_end(ap);
	return rc;
}

/* A refusal for safety: exit 3. */
int apply_refuse(struct apply_ctx *a, const char *fmt, ...)
{
	struct pp_apply_result *res = a->res;
	size_t n;
	va_list ap;

	res->refused = true;
	if (res->error[0])
		return -EPERM;
	snprintf(res->error, sizeof(res->error), "%s: ", a->desc);
	n = strlen(res->error);
	va_start(ap, fmt);
	vsnprintf(res->error + n, sizeof(res->error) - n, fmt, ap);
	va_end(ap);
	return -EPERM;
}

void pp_apply_vlog(struct pp_apply_opts *o, const char *fmt, ...)
{
	struct timespec now;
	va_list ap;

	if (!o->verbose)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!o->t0.tv_sec && !o->t0.tv_nsec)
		o->t0 = now;
	fprintf(stderr, "pmemplan: apply: %.3f s: ",
		(double)(now.tv_sec - o->t0.tv_sec) +
		(double)(now.tv_nsec - o->t0.tv_nsec) / 1e9);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/*
 * Begin step number res->steps + 1.  The testing hooks stop the process
 * here (a power cut between two steps) or make the step fail, and a
 * pending signal makes it fail, before it changes anything.  -v prints when each
 * step begins: a step lasts until the next line.
 */
int apply_begin_step(struct apply_ctx *a, const char *what)
{
	unsigned int n = ++a->res->steps;

	if (a->o->stop_step == PP_STOP_EVERY_STEP || n == a->o->stop_step) {
		/* the line first: the test waits for it, then for the stop */
		fprintf(stderr, "pmemplan: test: stopped before step %u: %s: %s\n",
			n, a->desc, what);
		fflush(stderr);
		raise(SIGSTOP);
	}
	pp_apply_vlog(&a->vo, "step %u: %s: %s", n, a->desc, what);
	if (apply_interrupted)
		return -EINTR;
	if (a->o->fail_step && n == a->o->fail_step) {
		a->injected = true;
		return -EIO;
	}
	return 0;
}

/*
 * One step: begin it, make the call, turn a negative result into a
 * recorded failure.  Calls that return a positive count on success (the
 * libraries have several) count as success.
 */
