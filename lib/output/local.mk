# lib/output/: what show and plan print: libsmartcols tables and JSON
lib_libpmemplan_core_a_SOURCES += \
	lib/output/output.h \
	lib/output/plan_output.h \
	lib/output/plan_output.c \
	lib/output/show.h \
	lib/output/show_columns.c \
	lib/output/show_human.c \
	lib/output/show_json.c \
	lib/output/summary.c
lib_libpmemplan_core_a_SOURCES += \
	lib/output/apply_output.h \
	lib/output/apply_measurement.c \
	lib/output/apply_json.c \
	lib/output/apply_human.c
