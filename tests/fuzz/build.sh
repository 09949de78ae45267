#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (Debian 12: clang 14 and
# libclang-rt-14-dev) straight from the sources, with AddressSanitizer and
# UndefinedBehaviorSanitizer:
#
#   tests/fuzz/build.sh [OUT_DIR]        (default: build-fuzz)
#
# Prints nothing but errors; makes OUT_DIR/fuzz_snapshot and
# OUT_DIR/fuzz_options, and their seed corpora OUT_DIR/seeds/TARGET/.  The
# core library (lib/ less system/, probe/, apply/) goes into an archive
# and the targets link it alone: no stubs, and no input can make them read
# this machine.
#
# The seeds of fuzz_snapshot are every tests/snapshots/*.json and
# tests/bad-input/*.json as they are now (copied here, never committed
# twice), plus tests/fuzz/corpus/fuzz_snapshot/ if it holds anything; the
# seeds of fuzz_options are tests/fuzz/corpus/fuzz_options/.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=${1:-$top/build-fuzz}
mkdir -p "$out/obj"
out=$(cd "$out" && pwd)
CC=${CC:-clang}

pkgs=(json-c smartcols uuid blkid)
# shellcheck disable=SC2207,SC2054 # pkg-config prints word lists; commas in -fsanitize
cflags=(-std=gnu11 -g -O1 -fno-omit-frame-pointer
	-fsanitize=address,undefined -fno-sanitize-recover=all
	-Wall -Wextra -Wno-missing-field-initializers
	-D_GNU_SOURCE -DHAVE_UUID -I"$top/lib"
	$(pkg-config --cflags "${pkgs[@]}"))
# warnings are errors in the targets; clang's view of lib/ and cmd/ is
# judged by clang-tidy (tests/quality.sh), not here
# shellcheck disable=SC2207
libs=($(pkg-config --libs "${pkgs[@]}"))

# The core library, as Makefile.am builds it: every folder of lib/ whose
# local.mk adds to lib_libpmemplan_core_a_SOURCES.
core_dirs=()
for mk in "$top"/lib/*/local.mk; do
	grep -q '^lib_libpmemplan_core_a_SOURCES' "$mk" && core_dirs+=("$(dirname "$mk")")
done
objs=()
for src in $(printf '%s/*.c ' "${core_dirs[@]}"); do
	obj=$out/obj/$(basename "$(dirname "$src")")_$(basename "$src" .c).o
	"$CC" "${cflags[@]}" -fsanitize=fuzzer-no-link -c -o "$obj" "$src"
	objs+=("$obj")
done
rm -f "$out/libpp-fuzz.a"
ar rcs "$out/libpp-fuzz.a" "${objs[@]}"

"$CC" "${cflags[@]}" -Werror -fsanitize=fuzzer -o "$out/fuzz_snapshot" \
	"$top/tests/fuzz/fuzz_snapshot.c" "$out/libpp-fuzz.a" "${libs[@]}"
"$CC" "${cflags[@]}" -Werror -fsanitize=fuzzer \
	-DPP_FUZZ_SNAPSHOTS="\"$top/tests/snapshots\"" -o "$out/fuzz_options" \
	"$top/tests/fuzz/fuzz_options.c" "$out/libpp-fuzz.a" "${libs[@]}"

# The seed corpora, made afresh from the sources every build.
seed() { # TARGET FILE...: the files that exist, into OUT_DIR/seeds/TARGET
	local t=$1 f
	shift
	rm -rf "$out/seeds/$t"
	mkdir -p "$out/seeds/$t"
	for f in "$@"; do
		[ -f "$f" ] && cp "$f" "$out/seeds/$t/"
	done
	return 0
}
seed fuzz_snapshot "$top"/tests/snapshots/*.json "$top"/tests/bad-input/*.json \
	"$top"/tests/fuzz/corpus/fuzz_snapshot/*
seed fuzz_options "$top"/tests/fuzz/corpus/fuzz_options/*
