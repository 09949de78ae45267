# lib/apply/: carrying a plan out through libndctl, libdaxctl and libkmod
lib_libpmemplan_sys_a_SOURCES += \
	lib/apply/apply.h \
	lib/apply/apply.c
