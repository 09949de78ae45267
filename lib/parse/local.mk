# lib/parse/: pure parsers of the text the kernel prints in /proc and /sys,
# and of daxctl.conf.d files
lib_libpmemplan_core_a_SOURCES += \
	lib/parse/parse.h \
	lib/parse/number.c \
	lib/parse/proc_text.c \
	lib/parse/iomem.c \
	lib/parse/daxctl_conf.c
