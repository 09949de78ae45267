# lib/snapshot/: topology <-> JSON: the show --json document and --input
lib_libpmemplan_core_a_SOURCES += \
	lib/snapshot/snapshot.h \
	lib/snapshot/snapshot.c \
	lib/snapshot/json_put.h \
	lib/snapshot/json_put.c
