# lib/system/: system I/O primitives, shared by probe and apply: sysfs
# attributes, /proc files, the sysroot, memory blocks, block devices, the
# libndctl/libdaxctl contexts
lib_libpmemplan_sys_a_SOURCES += \
	lib/system/sysfs.h \
	lib/system/sysfs.c \
	lib/system/paths.h \
	lib/system/sysroot.h \
	lib/system/sysroot.c \
	lib/system/memblock.h \
	lib/system/memblock.c \
	lib/system/meminfo.h \
	lib/system/meminfo.c \
	lib/system/blkdev.h \
	lib/system/blkdev.c \
	lib/system/libctx.h \
	lib/system/libctx.c
