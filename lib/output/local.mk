# lib/output/: what show, plan and apply print: libsmartcols tables, sentences
# and the JSON documents of the contract
lib_libpmemplan_core_a_SOURCES += \
	lib/output/output.h \
	lib/output/show.h \
	lib/output/show_columns.c \
	lib/output/show_human.c \
	lib/output/show_json.c \
	lib/output/summary.c \
	lib/output/plan_output.h \
	lib/output/plan_json.c \
	lib/output/plan_human.c \
	lib/output/apply_output.h \
	lib/output/apply_measurement.c \
	lib/output/apply_json.c \
	lib/output/apply_human.c \
	lib/output/fleet_output.h \
	lib/output/fleet_json.c \
	lib/output/fleet_human.c
