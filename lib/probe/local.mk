# lib/probe/: the live topology through libndctl, libdaxctl, sysfs and /proc
lib_libpmemplan_sys_a_SOURCES += \
	lib/probe/probe.h \
	lib/probe/probe_state.h \
	lib/probe/probe.c \
	lib/probe/platform.c \
	lib/probe/region.c \
	lib/probe/namespace.c \
	lib/probe/dax.c \
	lib/probe/cxl.c
