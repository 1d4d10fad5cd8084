#!/bin/bash
# fbpinn-compare on bad arguments and bad case files: each must exit with
# status 2 and exactly one line on stderr, 'fbpinn-compare: error: ...',
# that names the argument (or the case file), without a traceback, and must
# leave the working directory and an existing output directory (a sentinel
# file, an old comparison.csv; the runs pass --force) exactly as they were.
# Validation comes before any run of the binary, so this takes seconds. Last,
# an I/O error in the middle of a run must be one line naming the file, exit 1.
# Usage: compare_bad_input.sh FBPINN_BINARY SOURCE_DIR
set -u
fbpinn=$1
source_dir=$2
failures=0
checks=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/run" "$work/logs"
logs=$work/logs
cd "$work/run"

compare=(/usr/bin/python3 "$source_dir/app/fbpinn-compare")
case_prm=$source_dir/tests/cli/compare_case.prm
mkdir out
echo "sentinel" > out/sentinel.txt
echo "an old comparison" > out/comparison.csv
echo "not a directory" > file.txt

# Every path and checksum under the working directory (out/ included).
state() {
  find . -printf '%y %m %p\n' | sort
  find . -type f -exec sha256sum {} + | sort -k 2
}

# expect NAME REGEX ARGUMENT...: fbpinn-compare ARGUMENT... must fail as above,
# its one stderr line matching REGEX (extended, grep -E).
expect() {
  local name=$1 regex=$2
  shift 2
  checks=$((checks + 1))
  local before after rc lines
  before=$(state)
  "${compare[@]}" "$@" > "$logs/stdout" 2> "$logs/stderr"
  rc=$?
  after=$(state)
  lines=$(wc -l < "$logs/stderr")
  if [ $rc -ne 2 ]; then
    echo "FAIL $name: exit status $rc, expected 2:"; cat "$logs/stderr"
  elif [ "$lines" -ne 1 ]; then
    echo "FAIL $name: $lines lines on stderr, expected 1:"; cat "$logs/stderr"
  elif grep -q "Traceback" "$logs/stderr" "$logs/stdout"; then
    echo "FAIL $name: a Python traceback:"; cat "$logs/stderr"
  elif ! grep -Eq -- "^fbpinn-compare: error: " "$logs/stderr"; then
    echo "FAIL $name: stderr is not 'fbpinn-compare: error: ...':"; cat "$logs/stderr"
  elif ! grep -Eq -- "$regex" "$logs/stderr"; then
    echo "FAIL $name: stderr does not match '$regex':"; cat "$logs/stderr"
  elif [ "$before" != "$after" ]; then
    echo "FAIL $name: files changed:"; diff <(echo "$before") <(echo "$after")
  else
    echo "ok   $name: $(cat "$logs/stderr")"; return
  fi
  failures=$((failures + 1))
}

# A good case and binary, into the existing out/ with --force: only the
# argument under test is wrong.
good=("$case_prm" --binary "$fbpinn" --sweep quick --output out --force)

# argparse level
expect missing_case 'required: case' --binary "$fbpinn"
expect unknown_option 'unrecognized arguments: --bogus' "${good[@]}" --bogus
expect bad_sweep "argument --sweep: invalid choice: 'nope'" "${good[@]}" --sweep nope

# --methods
expect methods_empty "--methods '': no method.*fem,elm,fbpinn,pinn" "${good[@]}" --methods ""
expect methods_commas "--methods ',': no method" "${good[@]}" --methods ","
expect methods_empty_item "--methods 'fem,,elm': an empty name" "${good[@]}" --methods fem,,elm
expect methods_unknown "--methods 'fem,fe': 'fe' is not a method.*fem,elm,fbpinn,pinn" \
  "${good[@]}" --methods fem,fe
expect methods_twice "--methods 'fem,fem': 'fem' is listed twice" "${good[@]}" --methods fem,fem

# --timeout
for t in 0 -1 nan inf -inf abc ""; do
  expect "timeout_${t:-empty}" "--timeout '$t':.*finite number > 0" "${good[@]}" --timeout="$t"
done
# argparse takes '-inf' for an option, not a value: one line all the same.
expect timeout_option_like "argument --timeout: expected one argument" \
  "${good[@]}" --timeout -inf

# --target (only with --scaling)
for t in nan -1 0 1 2 inf abc; do
  expect "target_$t" "--target '$t':.*0 < target < 1" "${good[@]}" --scaling --target "$t"
done
expect target_without_scaling "--target is used only by the --scaling study" \
  "${good[@]}" --target 1e-3

# --cycles, --ranks
for c in 0 -1 1.5 x ""; do
  expect "cycles_${c:-empty}" "--cycles '$c':.*integer ≥ 1" "${good[@]}" --cycles "$c"
done
expect cycles_past_the_binary "--cycles 31 would need up to 31 global refinements.*0\.\.\.30" \
  "${good[@]}" --cycles 31
for r in 0 -2 x 1.5; do
  expect "ranks_$r" "--ranks '$r':.*integer ≥ 1" "${good[@]}" --ranks "$r"
done

# --scales (only with --scaling)
expect scales_empty "--scales '': an empty value" "${good[@]}" --scaling --scales ""
expect scales_word "--scales '1,x': value 'x':.*integers n ≥ 1" "${good[@]}" --scaling --scales 1,x
expect scales_zero "--scales '0'.*integers n ≥ 1" "${good[@]}" --scaling --scales 0
expect scales_twice "--scales '1,2,1': 1 is listed twice" "${good[@]}" --scaling --scales 1,2,1
expect scales_past_the_binary "--scales: n = 21 is outside the binary's range 1\.\.\.20" \
  "${good[@]}" --scaling --scales 1,21
expect scales_without_scaling "--scales is used only by the --scaling study" \
  "${good[@]}" --scales 1,2

# --vary
expect vary_no_equals "--vary 'fem': write METHOD:Subsection/Entry=V1,V2" "${good[@]}" --vary fem
expect vary_no_method "--vary 'FEM/Solver=direct': write METHOD" \
  "${good[@]}" --vary "FEM/Solver=direct"
expect vary_unknown_method "--vary 'fe:FEM/Solver=direct': 'fe' is not a method" \
  "${good[@]}" --vary "fe:FEM/Solver=direct"
expect vary_unknown_entry "--vary 'fem:FEM/Solvr=direct': 'FEM/Solvr' is no entry.*FEM/Solver" \
  "${good[@]}" --vary "fem:FEM/Solvr=direct"
expect vary_nesting "--vary 'fem:Polynomial degree=2': 'Polynomial degree' is no entry" \
  "${good[@]}" --vary "fem:Polynomial degree=2"
expect vary_subsection "--vary 'fem:FEM=2': 'FEM' is no entry" "${good[@]}" --vary "fem:FEM=2"
expect vary_empty_name "--vary 'fem:FEM//Solver=direct': empty subsection or entry name" \
  "${good[@]}" --vary "fem:FEM//Solver=direct"
expect vary_empty_value "--vary 'fem:FEM/Solver=cg-amg,,direct': an empty value" \
  "${good[@]}" --vary "fem:FEM/Solver=cg-amg,,direct"
expect vary_remove_unswept "--vary 'fem:FEM/Solver=': 'FEM/Solver' is not swept for fem" \
  "${good[@]}" --vary "fem:FEM/Solver="
expect vary_reserved "--vary 'fem:Method=elm': fbpinn-compare sets 'Method'" \
  "${good[@]}" --vary "fem:Method=elm"
expect vary_refinements "--vary 'elm:Mesh/Global refinements=1,2': fbpinn-compare sets" \
  "${good[@]}" --vary "elm:Mesh/Global refinements=1,2"

# --title, --binary (--ranks > 1 without mpirun is not tested: mpirun may be there)
expect title_empty "--title '': give a non-empty title on one line" "${good[@]}" --title ""
expect title_lines "--title 'a.nb': give a non-empty title on one line" \
  "${good[@]}" --title $'a\nb'
expect binary_directory "--binary '/' is not an executable file" "$case_prm" --binary / \
  --output out --force
expect binary_missing "--binary '\./no-such-fbpinn' is not an executable file" \
  "$case_prm" --binary ./no-such-fbpinn --output out --force

# --output
expect output_file "--output 'file\.txt': exists and is not a directory" \
  "$case_prm" --binary "$fbpinn" --output file.txt --force
expect output_under_file "--output 'file\.txt/sub/dir': '.*/file\.txt' is a file" \
  "$case_prm" --binary "$fbpinn" --output file.txt/sub/dir --force
expect output_empty "--output '': empty" "$case_prm" --binary "$fbpinn" --output ""
expect output_exists "--output 'out': '.*/out/comparison\.csv' exists; pass --force" \
  "$case_prm" --binary "$fbpinn" --output out

# The case file.
printf 'set Dimension = 2\n' > case.txt
printf 'set Dimension = 2\n\0\1\2' > binary.prm
printf 'set Dimension = 2\n# \xe9t\xe9\n' > latin1.prm
printf 'set Dimension = 2\nsubsection Mesh\n  set Global refinement = 1\nend\n' > unknown_entry.prm
printf 'subsection Meshes\n  set Global refinements = 1\nend\n' > unknown_subsection.prm
printf 'subsection Problem\n  subsection Mesh\n    set Global refinements = 1\n  end\nend\n' \
  > nesting.prm
printf 'set Global refinements = 1\n' > top_level.prm
printf 'set Dimension = 2\nDimension = 3\n' > junk.prm
printf 'set Dimension\n' > no_equals.prm
printf 'end\n' > stray_end.prm
printf 'subsection Mesh\n  set Global refinements = 1\n' > unclosed.prm
printf 'include other.prm\n' > include.prm
printf 'subsection Mesh\n  set Global refinements = two\nend\n' > refinements.prm
printf 'set Additional shared libraries = ./libno-such-plugin.so\n' > plugin.prm
printf 'subsection Problem\n  set Name = poisson\nend\n' > poisson.prm
printf '{"Mesh": {"Global refinements": 1}' > broken.json
printf '{"Mesh": {"Global refinement": {"value": "1"}}}\n' > unknown_entry.json
printf '{"Mesh": [1]}\n' > list.json
printf '[1, 2]\n' > array.json
mkdir directory.prm
state_files=$(state)
expect case_missing "case 'no-such-case\.prm': no such file" no-such-case.prm --binary "$fbpinn"
expect case_directory "case 'directory\.prm': not a regular file" directory.prm --binary "$fbpinn"
expect case_extension "case 'case\.txt': the name ends in '\.txt'; give a \.prm or \.json" \
  case.txt --binary "$fbpinn"
expect case_binary "case 'binary\.prm', line 2: a NUL byte" binary.prm --binary "$fbpinn"
expect case_latin1 "case 'latin1\.prm', line 2: byte 0xe9 is not UTF-8" latin1.prm \
  --binary "$fbpinn"
expect case_unknown_entry \
  "case 'unknown_entry\.prm', line 3: entry 'Global refinement' in subsection 'Mesh' is no entry" \
  unknown_entry.prm --binary "$fbpinn"
expect case_unknown_subsection \
  "case 'unknown_subsection\.prm', line 1: subsection 'Meshes' at the top level is no subsection" \
  unknown_subsection.prm --binary "$fbpinn"
expect case_nesting "case 'nesting\.prm', line 2: subsection 'Mesh' in subsection 'Problem'" \
  nesting.prm --binary "$fbpinn"
expect case_top_level "case 'top_level\.prm', line 1: entry 'Global refinements' at the top level" \
  top_level.prm --binary "$fbpinn"
expect case_junk "case 'junk\.prm', line 2: 'Dimension = 3' is none of" junk.prm --binary "$fbpinn"
expect case_no_equals "case 'no_equals\.prm', line 1: 'set Dimension': write 'set Entry = value'" \
  no_equals.prm --binary "$fbpinn"
expect case_stray_end "case 'stray_end\.prm', line 1: 'end' without a subsection" \
  stray_end.prm --binary "$fbpinn"
expect case_unclosed "case 'unclosed\.prm': subsection 'Mesh' is not closed" \
  unclosed.prm --binary "$fbpinn"
expect case_include "case 'include\.prm', line 1: 'include' is not supported" \
  include.prm --binary "$fbpinn"
expect case_refinements "case 'refinements\.prm': 'Mesh/Global refinements' = 'two' is not an integer" \
  refinements.prm --binary "$fbpinn"
expect case_plugin "case 'plugin\.prm': .*--print-parameters=json plugin\.prm' failed.*libno-such-plugin\.so" \
  plugin.prm --binary "$fbpinn"
expect case_scaling_problem "case 'poisson\.prm': --scaling needs .*multiscale-laplace" \
  poisson.prm --binary "$fbpinn" --scaling
expect case_broken_json "case 'broken\.json', line 1: not valid JSON" broken.json --binary "$fbpinn"
expect case_unknown_json_entry \
  "case 'unknown_entry\.json': entry 'Global refinement' in subsection 'Mesh' is no entry" \
  unknown_entry.json --binary "$fbpinn"
expect case_json_list "case 'list\.json': entry 'Mesh': a JSON list is no parameter value" \
  list.json --binary "$fbpinn"
expect case_json_array "case 'array\.json': the top level is no JSON object" array.json \
  --binary "$fbpinn"
if [ "$(id -u)" -ne 0 ]; then
  printf 'set Dimension = 2\n' > unreadable.prm
  chmod 000 unreadable.prm
  expect case_unreadable "case 'unreadable\.prm': cannot read it" unreadable.prm --binary "$fbpinn"
  chmod 644 unreadable.prm
else
  echo "skip case_unreadable: root reads any file"
fi
[ "$state_files" = "$(state)" ] || { echo "FAIL: the case files changed"; failures=$((failures + 1)); }

# An I/O error in the middle of a run (after one run of the binary, the CSV
# cannot be written): one line naming the file, exit status 1, no traceback.
checks=$((checks + 1))
mkdir -p io/comparison.csv.tmp
"${compare[@]}" "$case_prm" --binary "$fbpinn" --sweep quick --methods fem --cycles 1 \
  --vary "fem:FEM/Polynomial degree=1" --output io > "$logs/stdout" 2> "$logs/stderr"
rc=$?
if [ $rc -ne 1 ] || [ "$(wc -l < "$logs/stderr")" -ne 1 ] ||
   grep -q Traceback "$logs/stderr" ||
   ! grep -Eq "^fbpinn-compare: error: '.*/io/comparison\.csv\.tmp': Is a directory" "$logs/stderr"; then
  echo "FAIL io_error_mid_run: exit status $rc, stderr:"; cat "$logs/stderr"
  failures=$((failures + 1))
else
  echo "ok   io_error_mid_run: $(cat "$logs/stderr")"
fi

if [ $failures -ne 0 ]; then
  echo "compare_bad_input: $failures of $checks checks failed"
  exit 1
fi
echo "compare_bad_input: all $checks checks passed"
