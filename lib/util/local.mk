# lib/util/: byte counts as people type and read them; small string helpers
lib_libpmemplan_core_a_SOURCES += \
	lib/util/units.h \
	lib/util/units.c \
	lib/util/util.h \
	lib/util/string.c
