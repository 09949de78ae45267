# lib/model/: kernel arithmetic, each formula citing the kernel function it mirrors
lib_libpmemplan_core_a_SOURCES += \
	lib/model/model.h \
	lib/model/defaults.c \
	lib/model/namespace.c \
	lib/model/memmap.c \
	lib/model/extents.c \
	lib/model/constraints.c
