# lib/apply/: carrying a plan out through libndctl, libdaxctl and libkmod
lib_libpmemplan_sys_a_SOURCES += \
	lib/apply/apply.h \
	lib/apply/apply_ctx.h \
	lib/apply/run.c \
	lib/apply/context.c \
	lib/apply/journal.c \
	lib/apply/lookup.c \
	lib/apply/check.c \
	lib/apply/claim.c \
	lib/apply/namespace.c \
	lib/apply/labels.c \
	lib/apply/kmem.c \
	lib/apply/cxl.c \
	lib/apply/config.c \
	lib/apply/restore.c
