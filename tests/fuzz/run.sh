#!/bin/bash
# Build the libFuzzer targets with clang (tests/fuzz/CMakeLists.txt, in
# build/fuzz, against the fbpinn build in build/) and run each for SECONDS
# (default 60) from the seed corpus in tests/fuzz/corpus/. Not part of ctest.
# Findings (crash-*, leak-*, timeout-* inputs) are written to
# build/fuzz/findings/<target>/; the exit code is non-zero if there is one.
# Usage: tests/fuzz/run.sh [SECONDS]     (from anywhere; needs clang and
#        libclang-rt-14-dev, and a built build/libfbpinn.so)
set -u
seconds=${1:-60}
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
build=$source_dir/build/fuzz
cmake -S "$source_dir/tests/fuzz" -B "$build" -DCMAKE_CXX_COMPILER=clang++ \
  -DFBPINN_BUILD_DIR="$source_dir/build" > "$build.configure.log" 2>&1 ||
  { cat "$build.configure.log"; exit 1; }
cmake --build "$build" -j2 > "$build.build.log" 2>&1 ||
  { tail -30 "$build.build.log"; exit 1; }

# Open MPI (initialised once by the parameter target, never finalised)
# allocates at start-up: keep its components loaded so that lsan.supp can
# name them, and skip LeakSanitizer's check at exit; libFuzzer still checks
# every input for leaks (-detect_leaks=1, its default).
export OMPI_MCA_mca_base_component_disable_dlclose=1
export LSAN_OPTIONS=suppressions=$source_dir/tests/fuzz/lsan.supp:leak_check_at_exit=0

status=0
for target in checkpoint parameters; do
  findings=$build/findings/$target
  work=$build/corpus/$target # new inputs; the committed seeds stay as they are
  mkdir -p "$findings" "$work"
  (cd "$findings" &&
    "$build/fuzz_$target" -max_total_time="$seconds" -timeout=10 \
      -rss_limit_mb=4096 -print_final_stats=1 "$work" \
      "$source_dir/tests/fuzz/corpus/$target" > "$build/$target.log" 2>&1)
  rc=$?
  runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$build/$target.log" | grep -o '[0-9]*$')
  echo "fuzz_$target: exit $rc, ${runs:-?} executions in $seconds s, log $build/$target.log"
  if [ $rc -ne 0 ] || ls "$findings" | grep -q .; then
    echo "  findings in $findings:"; ls "$findings"; status=1
  fi
done
exit $status
