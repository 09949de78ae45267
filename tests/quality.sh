#!/usr/bin/env bash
# Quality gates of pmemplan (issue 5), run by tests/run-all.sh after the
# main build: build/ holds a normal build, the source tree is the repo root.
#
#   valgrind  memcheck over every CLI golden case, snapshot round trip,
#             bad-input document, usage error and a live "show" on this
#             machine: any invalid access or definite leak fails
#   fuzz      the libFuzzer targets of tests/fuzz: every file of
#             tests/fuzz/regressions/ replayed, then each target fuzzed for
#             $PP_FUZZ_SECONDS (default 120, both at once); a crash is copied
#             to tests/fuzz/regressions/TARGET/ (commit it with the fix)
#   static    cppcheck and clang-tidy on lib/ and cmd/ (.clang-tidy,
#             tests/cppcheck-suppressions.txt, TIDY_FP below): must be clean
#   vm        pmemplan as nobody in QEMU on Debian 6.1 and 6.12
#             (tests/vm/test-nonroot.sh)
#   coverage  line coverage of lib/ by "make check" (gcovr), for information
#
# The ASan/UBSan build of the unit and CLI tests is run-all.sh's own stage.
#
# Environment: PP_QUALITY_STAGES="valgrind fuzz ..." runs only those;
# PP_FUZZ_SECONDS; PMEMPLAN (default build/pmemplan) is the binary that
# valgrind and the VM run; PP_QUALITY_KERNELS (default "6.1 6.12").
# Every stage runs; exits 1 if any failed.  Needs root for apt-get and the VM.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=build.sh
. "$(dirname "$0")/build.sh"
cd "$PP_TOP"

QUALITY_PACKAGES=(clang libclang-rt-14-dev valgrind cppcheck clang-tidy bear gcovr jq)
STAGES=${PP_QUALITY_STAGES:-valgrind fuzz static vm coverage}
FUZZ_SECONDS=${PP_FUZZ_SECONDS:-120}
KERNELS=${PP_QUALITY_KERNELS:-6.1 6.12}
PMEMPLAN=$(realpath -m "${PMEMPLAN:-build/pmemplan}")
JOBS=$(nproc)
FUZZ_TARGETS=(fuzz_snapshot fuzz_options)

# clang-tidy false positives, four words each: file, check, the source
# line it is reported on (trimmed), why.  Matched on the line's text, so an
# edit of that line brings the warning back for review.
TIDY_FP=(
	lib/snapshot/read_region.c bugprone-sizeof-expression
	"v = calloc(r->nr_ns, sizeof(*v));"
	"v is struct pp_namespace **: an array of pointers, sized right; clang-tidy 14 lacks the WarnOnSizeOfPointerToAggregate option"

	lib/snapshot/read_region.c bugprone-sizeof-expression
	"qsort(v, n, sizeof(*v), cmp_ns_start);"
	"the same array of pointers, sorted"
)

Q=$PP_TOP/build-quality	# logs
mkdir -p "$Q"

want() { [[ " $STAGES " == *" $1 "* ]]; }

# ---------------------------------------------------------------------------
# valgrind

# One run: "NAME<TAB>STDIN<TAB>ARGS" (ARGS word-split, run from tests/).
vg_one() {
	local name stdin args rc=0
	IFS=$'\t' read -r name stdin args <<<"$1"
	[ "$stdin" = - ] && stdin=/dev/null
	# shellcheck disable=SC2086 # args are a word list by design
	(cd "$VG_TOP/tests" && exec timeout 600 valgrind -q --error-exitcode=99 \
		--leak-check=full --errors-for-leak-kinds=definite \
		--show-leak-kinds=definite --log-file="$VG_DIR/$name.vg" \
		"$VG_BIN" $args <"$stdin" >/dev/null 2>"$VG_DIR/$name.err") || rc=$?
	# pmemplan exits 0-3: 99 is valgrind's, 124 timeout, > 128 a signal
	if [ "$rc" = 99 ] || [ "$rc" -ge 124 ]; then
		echo "FAIL $name (exit $rc): pmemplan $args"
		sed 's/^/    /' "$VG_DIR/$name.vg" "$VG_DIR/$name.err" | head -n 60
		return 1
	fi
	return 0
}
export -f vg_one

stage_valgrind() {
	local dir=$Q/valgrind name args s d n
	[ -x "$PMEMPLAN" ] || { echo "no $PMEMPLAN: build first (tests/build.sh)"; return 1; }
	rm -rf "$dir"
	mkdir -p "$dir"
	{
		while IFS='|' read -r name args; do
			case $name in '' | '#'*) continue ;; esac
			printf 'golden-%s\t-\t%s\n' "$name" "$args"
		done <tests/cli/golden.list
		for s in tests/snapshots/*.json; do
			n=$(basename "$s" .json)
			printf 'roundtrip-%s\tsnapshots/%s.json\tshow --input - --json\n' "$n" "$n"
		done
		for d in tests/bad-input/*.json; do
			n=$(basename "$d" .json)
			printf 'bad-%s\t-\tshow --input bad-input/%s.json --json\n' "$n" "$n"
		done
		# this machine (read-only; no pmem here is fine) and usage errors
		printf '%s\t-\t%s\n' live-show show live-json 'show --json' \
			live-verbose 'show -vv' help --help version --version \
			show-help 'show --help' no-command '' bad-command frobnicate \
			bad-option 'show --frobnicate' no-value 'show --block-size' \
			bad-size 'show --input snapshots/x86-mixed-modes.json --block-size 3G' \
			bad-arch 'show --input snapshots/x86-mixed-modes.json --arch vax' \
			bad-region 'show --input snapshots/x86-mixed-modes.json -r region7' \
			region 'show --input snapshots/x86-mixed-modes.json -r 0 -v --bytes' \
			what-if 'show --input snapshots/x86-mixed-modes.json --arch aarch64 --page-size 64K --kernel 5.10 --block-size 1G' \
			no-file 'show --input /nonexistent/x.json' \
			directory 'show --input snapshots'
	} >"$dir/jobs"
	n=$(wc -l <"$dir/jobs")
	echo "valgrind memcheck: $n runs of $PMEMPLAN, $JOBS at a time"
	# shellcheck disable=SC2016 # $1 is bash -c's
	if VG_TOP=$PP_TOP VG_DIR=$dir VG_BIN=$PMEMPLAN \
		xargs -P "$JOBS" -d '\n' -n 1 bash -c 'vg_one "$1"' _ <"$dir/jobs"; then
		echo "valgrind: $n runs, no invalid access, no definite leak"
	else
		echo "valgrind: FAILED (logs in $dir)"
		return 1
	fi
}

# ---------------------------------------------------------------------------
# fuzz

# Options of target $1 into the array opts.
fuzz_opts() {
	case $1 in
	fuzz_snapshot) opts=(-max_len=16384) ;;
	# pp_error() messages of refused options: noise (crash reports stay)
	fuzz_options) opts=(-max_len=256 -close_fd_mask=2) ;;
	*) opts=() ;;
	esac
}

stage_fuzz() {
	local fb=$PP_TOP/build-fuzz t f n rc=0 pids=() found=() opts=() files seeds
	tests/fuzz/build.sh "$fb" || { echo "fuzz: build failed"; return 1; }

	# 1. every regression input, once
	for t in "${FUZZ_TARGETS[@]}"; do
		mkdir -p "tests/fuzz/regressions/$t"
		mapfile -t files < <(find "tests/fuzz/regressions/$t" -type f \
			! -name '.*' ! -name '*.md' | sort)
		((${#files[@]})) || { echo "$t: no regression inputs"; continue; }
		fuzz_opts "$t"
		if "$fb/$t" "${opts[@]}" -timeout=30 "${files[@]}" \
			>"$fb/$t-regressions.log" 2>&1; then
			echo "$t: ${#files[@]} regression inputs pass"
		else
			echo "$t: a regression input FAILS:"
			grep -E "Running:|ERROR|SUMMARY|larger than|round trip| in .* $PP_TOP/" \
				"$fb/$t-regressions.log" | tail -n 40 || true
			rc=1
		fi
	done

	# 2. fuzz every target at once for FUZZ_SECONDS; the work corpus
	# (build-fuzz/corpus/TARGET) grows across local runs
	for t in "${FUZZ_TARGETS[@]}"; do
		rm -rf "$fb/artifacts/$t"
		mkdir -p "$fb/corpus/$t" "$fb/artifacts/$t"
		# made by build.sh from tests/snapshots, tests/bad-input and
		# tests/fuzz/corpus (see tests/fuzz/README.md)
		seeds=("$fb/seeds/$t")
		fuzz_opts "$t"
		"$fb/$t" "${opts[@]}" -max_total_time="$FUZZ_SECONDS" \
			-timeout=30 -rss_limit_mb=2048 -print_final_stats=1 \
			-artifact_prefix="$fb/artifacts/$t/" \
			"$fb/corpus/$t" "${seeds[@]}" >"$fb/$t.log" 2>&1 &
		pids+=($!)
	done
	echo "fuzzing ${FUZZ_TARGETS[*]} for $FUZZ_SECONDS s each, in parallel"
	for n in "${!pids[@]}"; do
		t=${FUZZ_TARGETS[$n]}
		wait "${pids[$n]}" || true
		printf '%s: %s runs, %s exec/s, coverage %s, corpus %s files\n' "$t" \
			"$(sed -n 's/^stat::number_of_executed_units: *//p' "$fb/$t.log")" \
			"$(sed -n 's/^stat::average_exec_per_sec: *//p' "$fb/$t.log")" \
			"$(grep -o 'cov: [0-9]*' "$fb/$t.log" | tail -n 1 | cut -d' ' -f2)" \
			"$(find "$fb/corpus/$t" -type f | wc -l)"
		# keep what it found as a regression input
		found=()
		for f in "$fb/artifacts/$t"/{crash,leak,timeout,oom}-*; do
			[ -e "$f" ] || continue
			cp "$f" "tests/fuzz/regressions/$t/"
			found+=("tests/fuzz/regressions/$t/$(basename "$f")")
		done
		if ((${#found[@]})); then
			echo "$t: FOUND ${found[*]}"
			grep -E "ERROR|SUMMARY|larger than|round trip| in .* $PP_TOP/" \
				"$fb/$t.log" | head -n 40 || true
			echo "(commit the file with the fix; quality.sh replays it from now on)"
			rc=1
		elif grep -q 'ERROR: libFuzzer' "$fb/$t.log"; then
			echo "$t: FAILED without an artifact:"
			tail -n 20 "$fb/$t.log"
			rc=1
		fi
	done
	return $rc
}

# ---------------------------------------------------------------------------
# static analysis

# clang-tidy output on stdin; prints the warnings (with their notes) not in
# TIDY_FP and returns 1 if there was one.  Unused TIDY_FP entries are named.
tidy_filter() {
	local line keep=0 bad=0 file ln check src i
	local -A used=()
	while IFS= read -r line; do
		if [[ $line =~ ^([^\ :][^:]*):([0-9]+):[0-9]+:\ (warning|error):\ (.*)$ ]]; then
			file=${BASH_REMATCH[1]} ln=${BASH_REMATCH[2]} check=
			[[ $line =~ \[([A-Za-z0-9_.,-]+)\]$ ]] && check=${BASH_REMATCH[1]}
			src=$(sed -n "${ln}p" "$file" 2>/dev/null | sed 's/^[[:space:]]*//; s/[[:space:]]*$//')
			keep=1
			for ((i = 0; i < ${#TIDY_FP[@]}; i += 4)); do
				if [ "$file" = "$PP_TOP/${TIDY_FP[i]}" ] &&
					[ "$check" = "${TIDY_FP[i + 1]}" ] &&
					[ "$src" = "${TIDY_FP[i + 2]}" ]; then
					keep=0 used[$i]=1
					break
				fi
			done
			((keep)) && bad=$((bad + 1))
		elif [[ $line =~ ^[^[:space:]:][^:]*:[0-9]+:[0-9]+:\ note: ]] || [[ $line =~ ^[[:space:]]|^$ ]]; then
			:	# a note, source excerpt or caret of the last warning
		else
			keep=0	# "N warnings generated." and the like
		fi
		((keep)) && printf '%s\n' "$line"
	done
	for ((i = 0; i < ${#TIDY_FP[@]}; i += 4)); do
		[ -n "${used[$i]:-}" ] ||
			echo "note: unused TIDY_FP entry (remove it?): ${TIDY_FP[i]}: ${TIDY_FP[i + 2]}"
	done
	((bad == 0)) || { echo "clang-tidy: $bad warnings"; return 1; }
}

# A cppcheck library of the libndctl/libdaxctl/libcxl foreach macros: without it
# cppcheck stops at the first one ("unknownMacro"), and with the headers
# themselves it mistakes uuid_t out-parameters for uninitialized reads.
foreach_cfg() {
	echo '<?xml version="1.0"?>'
	echo '<def format="2">'
	awk '/^#define [a-z_]*foreach[a-z_]*\(/ {
		m = $0
		while (m ~ /\\$/) { sub(/\\$/, "", m); getline l; m = m " " l }
		sub(/^#define /, "", m)
		i = index(m, ")")
		name = substr(m, 1, i); body = substr(m, i + 1)
		gsub(/^[ \t]+|[ \t]+$/, "", body); gsub(/[ \t]+/, " ", body)
		gsub(/&/, "\\&amp;", body); gsub(/</, "\\&lt;", body)
		gsub(/>/, "\\&gt;", body); gsub(/"/, "\\&quot;", body)
		printf "  <define name=\"%s\" value=\"%s\"/>\n", name, body
	}' /usr/include/ndctl/libndctl.h /usr/include/daxctl/libdaxctl.h \
		/usr/include/cxl/libcxl.h
	echo '</def>'
}

stage_static() {
	local bt=$PP_TOP/build-tidy rc=0 files f
	[ -x configure ] || autoreconf -fi >/dev/null 2>&1 || autoreconf -fi
	mkdir -p "$bt"
	[ -f "$bt/Makefile" ] || (cd "$bt" && "$PP_TOP/configure" -q)
	# a clean build under bear: compile_commands.json of lib/ and cmd/
	make -s -C "$bt" clean >/dev/null 2>&1 || true
	bear --output "$bt/compile_commands.json" -- make -s -C "$bt" -j"$JOBS" \
		>"$bt/make.log" 2>&1 || { cat "$bt/make.log"; return 1; }
	mapfile -t files < <(jq -r '.[].file' "$bt/compile_commands.json" |
		grep -E "^$PP_TOP/(lib|cmd)/([^/]*/)?[^/]*\.c$" | sort -u)
	((${#files[@]})) || { echo "no lib/ or cmd/ files in $bt/compile_commands.json"; return 1; }
	echo "cppcheck $(cppcheck --version | cut -d' ' -f2) and clang-tidy $(clang-tidy --version | sed -n 's/.*LLVM version \([0-9.]*\).*/\1/p') on ${#files[@]} files"

	foreach_cfg >"$bt/foreach.cfg"
	if cppcheck --project="$bt/compile_commands.json" --std=c11 \
		--library="$bt/foreach.cfg" \
		--enable=warning,style,performance,portability --inline-suppr \
		--suppressions-list=tests/cppcheck-suppressions.txt \
		--error-exitcode=1 -q -j"$JOBS" \
		--template='{file}:{line}:{column}: {severity}: {message} [{id}]' \
		>"$bt/cppcheck.log" 2>&1; then
		echo "cppcheck: clean"
	else
		cat "$bt/cppcheck.log"
		echo "cppcheck: FAILED"
		rc=1
	fi

	# one clang-tidy per file, JOBS at a time; .clang-tidy has the checks
	rm -f "$bt"/*.tidy "$bt"/*.tidy-rc
	# shellcheck disable=SC2016 # $1 and $2 are sh -c's
	printf '%s\n' "${files[@]}" | xargs -P "$JOBS" -I{} sh -c \
		'clang-tidy -p "$1" --quiet "$2" >"$1/$(echo "$2" | tr / _).tidy" 2>&1
		echo $? >"$1/$(echo "$2" | tr / _).tidy-rc"' _ "$bt" {}
	for f in "${files[@]}"; do
		[ "$(cat "$bt/$(echo "$f" | tr / _).tidy-rc" 2>/dev/null)" = 0 ] || {
			echo "clang-tidy did not run through on $f:"
			tail -n 20 "$bt/$(echo "$f" | tr / _).tidy" 2>/dev/null || true
			rc=1
		}
	done
	if cat "$bt"/*.tidy | tidy_filter; then
		echo "clang-tidy: clean ($((${#TIDY_FP[@]} / 4)) false positives listed in tests/quality.sh)"
	else
		echo "clang-tidy: FAILED"
		rc=1
	fi
	return $rc
}

# ---------------------------------------------------------------------------
# VM: non-root

stage_vm() {
	[ -x "$PMEMPLAN" ] || { echo "no $PMEMPLAN: build first"; return 1; }
	# shellcheck disable=SC2086
	tests/vm/test-nonroot.sh "$PMEMPLAN" $KERNELS
}

# ---------------------------------------------------------------------------
# coverage

stage_coverage() {
	local bc=$PP_TOP/build-cov
	pp_build "$bc" CFLAGS="-O0 -g --coverage" >"$Q/coverage-build.log" 2>&1 ||
		{ cat "$Q/coverage-build.log"; return 1; }
	find "$bc" -name '*.gcda' -delete
	make -s -C "$bc" check >"$Q/coverage-check.log" 2>&1 ||
		{ cat "$bc/test-suite.log"; return 1; }
	# per file: lines, executed, percent (gcovr's "Missing" column dropped)
	gcovr -r "$PP_TOP" --filter 'lib/' "$bc/lib" 2>/dev/null |
		awk '/^(lib\/|TOTAL)/ { printf "  %-18s %6s %6s %6s\n", $1, $2, $3, $4 }' \
			>"$Q/coverage.txt"
	[ -s "$Q/coverage.txt" ] || { echo "gcovr printed nothing"; return 1; }
	{
		echo "line coverage of lib/ by make check (lib/apply and most of lib/probe run only in the VM tests):"
		printf '  %-18s %6s %6s %6s\n' file lines exec cover
		cat "$Q/coverage.txt"
	} >"$Q/coverage.out"
	grep TOTAL "$Q/coverage.txt" | sed 's/^ */coverage: /'	# the table comes last
}

# ---------------------------------------------------------------------------

pp_install "${QUALITY_PACKAGES[@]}"

declare -A took=() result=()
ran=()
t_all=$SECONDS
for s in valgrind fuzz static vm coverage; do
	want "$s" || continue
	pp_log "quality: $s"
	t0=$SECONDS
	# in the background so that set -e holds inside the stage
	("stage_$s") &
	if wait $!; then result[$s]=ok; else result[$s]=FAILED; fi
	took[$s]=$((SECONDS - t0))
	ran+=("$s")
done

pp_log "quality: times"
fail=0
for s in "${ran[@]}"; do
	printf '  %-10s %5d s  %s\n' "$s" "${took[$s]}" "${result[$s]}"
	[ "${result[$s]}" = ok ] || fail=1
done
printf '  %-10s %5d s\n' total "$((SECONDS - t_all))"
if [ -n "${result[coverage]:-}" ] && [ -s "$Q/coverage.out" ]; then
	echo
	cat "$Q/coverage.out"
fi
((fail == 0)) || { echo "quality gates FAILED"; exit 1; }
echo "quality gates passed"
