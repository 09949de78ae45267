# lib/planner/: the planner (the best layout, the baseline and the bound),
# and what applying a plan decides before (consent, completing a
# half-applied plan) and records after (apply_result.h)
lib_libpmemplan_core_a_SOURCES += \
	lib/planner/planner.h \
	lib/planner/planner_ctx.h \
	lib/planner/planner.c \
	lib/planner/extent.c \
	lib/planner/ops.c \
	lib/planner/existing.c \
	lib/planner/labelled.c \
	lib/planner/labelless.c \
	lib/planner/baseline.c \
	lib/planner/cxl.c \
	lib/planner/names.c \
	lib/planner/consent.h \
	lib/planner/consent.c \
	lib/planner/complete.c \
	lib/planner/check.c \
	lib/planner/fleet.h \
	lib/planner/fleet.c \
	lib/planner/apply_result.h
