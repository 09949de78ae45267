# lib/system/: system I/O primitives: sysfs attributes, /proc files, block devices
lib_libpmemplan_sys_a_SOURCES += \
	lib/system/sysfs.h \
	lib/system/sysfs.c
