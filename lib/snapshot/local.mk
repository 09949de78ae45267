# lib/snapshot/: topology <-> JSON: the show --json document and --input
lib_libpmemplan_core_a_SOURCES += \
	lib/snapshot/snapshot.h \
	lib/snapshot/json_put.h \
	lib/snapshot/json_put.c \
	lib/snapshot/writer.c \
	lib/snapshot/reader.h \
	lib/snapshot/json_feed.c \
	lib/snapshot/read_value.c \
	lib/snapshot/read_platform.c \
	lib/snapshot/read_region.c \
	lib/snapshot/read_cxl.c \
	lib/snapshot/read_document.c
