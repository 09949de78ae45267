# lib/model/: kernel arithmetic, each formula citing the kernel function it mirrors
lib_libpmemplan_core_a_SOURCES += \
	lib/model/model.h \
	lib/model/model.c
