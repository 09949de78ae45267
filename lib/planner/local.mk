# lib/planner/: the planner: the best layout, the baseline and the bound
lib_libpmemplan_core_a_SOURCES += \
	lib/planner/planner.h \
	lib/planner/planner.c
lib_libpmemplan_core_a_SOURCES += \
	lib/planner/consent.h \
	lib/planner/consent.c \
	lib/planner/complete.c
