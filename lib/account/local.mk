# lib/account/: where every byte goes today: the report show prints
lib_libpmemplan_core_a_SOURCES += \
	lib/account/account.h \
	lib/account/account.c
