# lib/parse/: pure parsers of the text the kernel prints in /proc and /sys
lib_libpmemplan_core_a_SOURCES += \
	lib/parse/parse.h \
	lib/parse/number.c \
	lib/parse/proc_text.c \
	lib/parse/iomem.c
