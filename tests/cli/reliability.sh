#!/bin/bash
# Issue 13's audit as a test: bad input, full disks, kills and MPI failures
# must end every rank with one line on stderr that says what is wrong, and
# must leave the files of an earlier run in the output directory exactly as
# they were (no new file beside them, no .tmp file). Each case runs in
# seconds; the MPI cases run under a time-out, so a rank left waiting is a
# failure, not a hang.
# Usage: reliability.sh FBPINN_BINARY SOURCE_DIR
set -u
fbpinn=$1
failures=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
# Open MPI without shared-memory segments, so that a file size limit
# (ulimit -f, our stand-in for a full disk) hits only our own files.
export PMIX_MCA_gds=hash OMPI_MCA_btl=self,tcp OMPI_MCA_btl_tcp_if_include=lo
mpirun="mpirun --allow-run-as-root --oversubscribe -np 2"

fail() {
  echo "FAIL $*"
  failures=$((failures + 1))
}

# A finished run in old/, whose files every failing case must leave alone.
printf 'set Dimension = 2\nset Output directory = old\nsubsection Mesh\n  set Global refinements = 2\nend\n' > good.prm
"$fbpinn" good.prm > /dev/null 2>&1 || { echo "FAIL good.prm does not run"; exit 1; }
# The earlier run's files; a failed run may keep its own files in a
# run-*.partial directory (the error names it), which each case removes first.
snapshot() { (cd old && find . -path './run-*.partial' -prune -o -type f -print | sort | xargs md5sum); }
fresh() { rm -rf old/run-*.partial; }
reference=$(snapshot)

# expect_error NAME RANKS REGEX...: run NAME.prm (1 or 2 ranks, a time-out
# of 60 s) and check: a non-zero exit, no time-out, exactly one line
# 'fbpinn: error' on stderr (Open MPI adds its own lines on 2 ranks),
# every REGEX, and old/ unchanged.
expect_error() {
  local name=$1 ranks=$2
  shift 2
  fresh
  if [ "$ranks" -eq 1 ]; then
    timeout 60 "$fbpinn" "$name.prm" > stdout 2> stderr
  else
    timeout 60 $mpirun "$fbpinn" "$name.prm" > stdout 2> stderr
  fi
  check_error "$name" "$ranks" $? "$@"
}

# check_error LABEL RANKS RC REGEX...: the checks of expect_error on stderr.
check_error() {
  local label="$1 ($2 rank(s))" ranks=$2 rc=$3
  shift 3
  grep '^fbpinn: error' stderr > error_lines
  if [ "$rc" -eq 0 ]; then
    fail "$label: exit code 0"; return
  elif [ "$rc" -eq 124 ]; then
    fail "$label: timed out (a rank was left waiting)"; cat stderr; return
  elif [ "$(wc -l < error_lines)" -ne 1 ]; then
    fail "$label: $(wc -l < error_lines) error lines:"; cat stderr; return
  fi
  # On one rank nothing else; on two, Open MPI adds its own notes.
  # (Open MPI's singleton also reports a forwarded SIGXFSZ.)
  if [ "$ranks" -eq 1 ] && [ "$(grep -vc 'Forwarding signal' stderr)" -ne 1 ]; then
    fail "$label: $(wc -l < stderr) lines on stderr:"; cat stderr; return
  fi
  for regex in "$@"; do
    if ! grep -Eq -- "$regex" error_lines; then
      fail "$label: the error does not match '$regex':"; cat error_lines; return
    fi
  done
  if [ "$(snapshot)" != "$reference" ]; then
    fail "$label: the files of the earlier run in old/ changed"; return
  fi
  if find . -name '*.tmp' | grep -q .; then
    fail "$label: a .tmp file was left behind: $(find . -name '*.tmp')"; return
  fi
  echo "ok   $label: $(cut -c 1-160 error_lines)"
}

# write NAME CONTENTS: a parameter file whose output goes to old/.
write() {
  printf "set Output directory = old\n$2" > "$1.prm"
}
mesh='subsection Mesh\n  set Global refinements = 2\nend\n'

# --- MPI: the six cases that left rank 1 waiting in MPI_Barrier. ---
touch a_file
printf "set Output directory = a_file\n$mesh" > dir_is_file.prm
expect_error dir_is_file 2 'dir_is_file\.prm' "Output directory" 'a_file'
printf "set Output directory = a_file/sub\n$mesh" > dir_under_file.prm
expect_error dir_under_file 2 'dir_under_file\.prm' "Output directory" 'a_file/sub'
printf "set Output directory = /proc/fbpinn-test\n$mesh" > dir_unwritable.prm
expect_error dir_unwritable 2 'dir_unwritable\.prm' "Output directory" '/proc/fbpinn-test'
mkdir -p taken/training.csv
printf "set Output directory = taken\n$mesh" > csv_is_dir.prm
expect_error csv_is_dir 2 'csv_is_dir\.prm' 'taken/training\.csv' 'not a regular file'
for ranks in 1 2; do
  # A full disk before parameters.prm is written: files of 4 KiB at most.
  write disk_full "$mesh"
  fresh
  if [ "$ranks" -eq 1 ]; then
    (trap '' XFSZ; ulimit -f 4; timeout 60 "$fbpinn" disk_full.prm > stdout 2> stderr)
  else
    timeout 60 $mpirun bash -c "trap '' XFSZ; ulimit -f 4; exec '$fbpinn' disk_full.prm" > stdout 2> stderr
  fi
  check_error disk_full "$ranks" $? 'disk_full\.prm' 'parameters\.prm' 'disk full' 'File too large'
done
# A full disk during training, when training.csv and the checkpoint (which
# hold the history) outgrow 48 KiB after several hundred progress rows (the
# limit must stay above parameters.prm, about 25 KB, the largest file written
# before training): only rank 0 writes them, so rank 1 is inside the next
# step when rank 0 fails.
oscillator='set Dimension = 1\nset Method = fbpinn\nset Write solution = false\nsubsection Problem\n  set Name = harmonic-oscillator\nend\nsubsection Mesh\n  set Subdivisions = 4\n  set Global refinements = 0\nend\nsubsection FBPINN\n  set Hard constraints = true\nend\nsubsection Network\n  set Hidden layers = 16\nend\n'
write disk_full_training "${oscillator}subsection Training\n  set Steps = 100000\n  set Progress interval = 100\n  set Checkpoint interval = 100\nend\n"
fresh
timeout 60 $mpirun bash -c "trap '' XFSZ; ulimit -f 48; exec '$fbpinn' disk_full_training.prm" > stdout 2> stderr
check_error disk_full_training 2 $? 'disk_full_training\.prm' 'disk full' 'File too large' \
  "this run's files are in 'old/run-.*\\.partial'"

# --- Resources estimated before anything is built. ---
write refinements30 'subsection Mesh\n  set Global refinements = 30\nend\n'
expect_error refinements30 1 'refinements30\.prm' 'Global refinements' '2\^32'
write features 'set Method = elm\nsubsection ELM\n  set Features per subdomain = 100000\nend\n'
expect_error features 1 'features\.prm' 'GiB' 'Features per subdomain'
write subdivisions 'set Dimension = 1\nsubsection Mesh\n  set Subdivisions = 2147483647\n  set Global refinements = 0\nend\n'
expect_error subdivisions 1 'subdivisions\.prm' 'Subdivisions'
write refinements3d 'set Dimension = 3\nsubsection Mesh\n  set Global refinements = 10\nend\n'
expect_error refinements3d 1 'refinements3d\.prm' 'Global refinements'
write cycles20 'set Number of refinement cycles = 20\nsubsection Mesh\n  set Global refinements = 2\nend\n'
expect_error cycles20 1 'cycles20\.prm' 'Number of refinement cycles'
write memory_limit "set Memory limit = 0.001\n$mesh"
expect_error memory_limit 1 'memory_limit\.prm' "of 'Memory limit'"
# Systems count every field: stokes on 4² cells, Taylor–Hood Q2/Q1 (2·2² +
# 1 DoFs a cell), elm with 3 × 8 features a subdomain and 3 rows a point,
# pinn with a 3-output network of 8 units (3·8 + 3·9 parameters).
stokes='set Memory limit = 0.001\nsubsection Problem\n  set Name = stokes\nend\nsubsection Mesh\n  set Subdivisions = 2\n  set Global refinements = 1\nend\n'
write memory_stokes_fem "${stokes}subsection FEM\n  set Polynomial degree = 1\nend\n"
expect_error memory_stokes_fem 1 'memory_stokes_fem\.prm' 'about 144 unknowns and 144 rows'
write memory_stokes_elm "set Method = elm\n${stokes}subsection ELM\n  set Features per subdomain = 8\n  set Collocation points per direction = 4\nend\n"
expect_error memory_stokes_elm 1 'memory_stokes_elm\.prm' 'about 384 unknowns and 768 rows'
write memory_stokes_pinn "set Method = pinn\n${stokes}subsection Network\n  set Hidden layers = 8\nend\n"
expect_error memory_stokes_pinn 1 'memory_stokes_pinn\.prm' 'about 51 unknowns'

# --- Parameter files. ---
mkdir -p a_directory
"$fbpinn" a_directory > stdout 2> stderr
check_error directory 1 $? "'a_directory' is a directory"
printf '\xEF\xBB\xBFset Dimension = 2\nset Output directory = bom\nsubsection Mesh\n  set Global refinements = 2\nend\n' > bom.prm
if "$fbpinn" bom.prm > stdout 2> stderr && [ -s bom/metrics.json ]; then
  echo "ok   bom.prm: a UTF-8 byte-order mark is skipped"
else
  fail "bom.prm: a file with a UTF-8 byte-order mark does not run:"; cat stderr
fi
printf 'set Dimension = 2\n\0\n' > binary.prm
expect_error binary 1 'binary\.prm' 'not a text file'
/usr/bin/python3 -c "print('set Output directory = old\nset Method = ' + 'x' * 5000000)" > long_value.prm
expect_error long_value 1 'long_value\.prm' 'characters left out' 'Selection elm\|fbpinn\|fem\|pinn'
if [ "$(wc -c < error_lines)" -gt 1100 ]; then
  fail "long_value: the message has $(wc -c < error_lines) characters"
fi
json() { printf '%s\n' "$2" > "$1.json"; }
json_error() {
  local name=$1
  shift
  timeout 60 "$fbpinn" "$name.json" > stdout 2> stderr
  check_error "$name.json" 1 $? "$name\\.json" "$@"
}
json array '{"Output directory": "old", "Mesh": {"Global refinements": ["2", "3"]}}'
json_error array "'Mesh / Global refinements' is an array"
json subsection_as_value '{"Output directory": "old", "Mesh": "2"}'
json_error subsection_as_value "'Mesh' is a subsection"
json duplicate '{"Output directory": "old", "Dimension": "2", "Dimension": "3"}'
json_error duplicate "'Dimension' is given twice"
json null_value '{"Output directory": "old", "Mesh": {"Subdivisions": null}}'
json_error null_value "entry 'Mesh / Subdivisions'" 'null'
json out_of_pattern '{"Output directory": "old", "Mesh": {"Global refinements": "x"}}'
json_error out_of_pattern "entry 'Mesh / Global refinements'" 'Integer range 0\.\.\.30'
json unknown_entry '{"Output directory": "old", "FEM": {"Degree": "2"}}'
json_error unknown_entry "no entry 'FEM / Degree'"
json entry_as_object '{"Output directory": "old", "Dimension": {"value": "2"}}'
json_error entry_as_object "'Dimension' is not a subsection"
write trailing_comma "${oscillator}subsection Network\n  set Hidden layers = 16,\nend\n"
expect_error trailing_comma 1 'trailing_comma\.prm' 'Hidden layers' "'16,'"
write fbpinn_overlap "${oscillator}subsection FBPINN\n  set Overlap factor = 3.5\nend\n"
expect_error fbpinn_overlap 1 'fbpinn_overlap\.prm' "subsection FBPINN, entry 'Overlap factor'"
plugin=$(dirname "$fbpinn")/plugins/libfbpinn-example-plugin.so
cp "$plugin" "$work/copy-of-plugin.so"
write plugin_twice "set Additional shared libraries = $plugin, $work/copy-of-plugin.so\n"
expect_error plugin_twice 1 'plugin_twice\.prm' 'registered twice' "$plugin" 'copy-of-plugin\.so'

# --- Third-party failures and meaningless results. ---
write overflow 'subsection Problem\n  set Name = helmholtz\n  subsection helmholtz\n    set Wave number = 1e300\n  end\nend\nsubsection FEM\n  set Solver = direct\nend\n'
expect_error overflow 1 'overflow\.prm' 'not finite' 'Wave number'
write filter 'set Method = elm\nsubsection Linear solver\n  set Name = filtered-direct\n  set Filter tolerance = 2\nend\n'
expect_error filter 1 'filter\.prm' 'Filter tolerance' '0\.\.\.1'
# Helmholtz with k = π√2 on the unit square: k² is the first Dirichlet
# eigenvalue 2π². The run finishes but warns, and metrics.json says so.
printf 'set Output directory = resonance\nsubsection Problem\n  set Name = helmholtz\n  subsection helmholtz\n    set Wave number = 4.442882938158366\n  end\nend\nsubsection FEM\n  set Solver = direct\nend\nsubsection Mesh\n  set Global refinements = 3\nend\n' > resonance.prm
if "$fbpinn" resonance.prm > stdout 2> stderr && grep -q 'warning: resonance.prm: the problem is at or near a resonance' stderr &&
   grep -q '"warning": "the problem is at or near a resonance' resonance/metrics.json; then
  echo "ok   resonance: $(cut -c 1-160 stderr)"
else
  fail "resonance: no warning on stderr or in metrics.json:"; cat stderr
fi
sed 's/4.442882938158366/8/; s/= resonance/= no_resonance/' resonance.prm > no_resonance.prm
if "$fbpinn" no_resonance.prm > stdout 2> stderr && [ ! -s stderr ] &&
   grep -q '"warning": null' no_resonance/metrics.json; then
  echo "ok   k = 8: no resonance warning"
else
  fail "k = 8: a warning where the problem is well posed:"; cat stderr
fi

# --- Consistent results: a failed run never mixes with a finished one. ---
# A solve that fails leaves its own files in old/run-*.partial only.
write unconverged 'set Method = elm\nsubsection Mesh\n  set Subdivisions = 4\n  set Global refinements = 0\nend\nsubsection ELM\n  set Features per subdomain = 8\nend\nsubsection Linear solver\n  set Name = lsqr\n  set Max iterations = 2\nend\n'
expect_error unconverged 1 'did not converge' "this run's files are in 'old/run-.*\\.partial'"
kept=$(ls -d old/run-*.partial 2> /dev/null | head -n 1)
if [ -z "$kept" ] || ! grep -q '"converged": false' "$kept/metrics.json"; then
  fail "unconverged: the failed run's metrics.json is not in old/run-*.partial"
fi
fresh
# A run killed mid-way leaves old/ as it was (its own staging directory is
# the only trace, and the next run names it).
write killed "${oscillator}subsection Training\n  set Steps = 1000000\n  set Progress interval = 0\nend\n"
"$fbpinn" killed.prm > /dev/null 2>&1 &
pid=$!
sleep 2
kill -9 $pid
wait $pid 2> /dev/null
if [ "$(snapshot)" != "$reference" ]; then
  fail "killed: the files of the earlier run changed"
else
  echo "ok   killed: old/ unchanged after kill -9"
fi
"$fbpinn" good.prm > stdout 2> stderr
if grep -q "note: 1 unfinished or failed run" stdout && ls -d old/run-*.partial > /dev/null 2>&1; then
  echo "ok   after the kill: the next run names the unfinished run and keeps it"
else
  fail "after the kill: no note of the unfinished run:"; cat stdout
fi
fresh
# Two ranks, then one: the second run's set replaces the first's entirely
# (no solution.0001.vtu of the first beside the second's single piece).
$mpirun "$fbpinn" good.prm > /dev/null 2>&1
[ -f old/solution.0001.vtu ] || fail "2 ranks: no solution.0001.vtu"
"$fbpinn" good.prm > /dev/null 2>&1
if [ -e old/solution.0001.vtu ] || ! grep -q '"files": \["metrics.json", "parameters.prm", "solution.0000.vtu", "solution.pvtu"\]' old/metrics.json; then
  fail "2 ranks then 1: the files of the 2-rank run remain:"; ls old; cat old/metrics.json
else
  echo "ok   2 ranks then 1: one consistent set, listed in metrics.json"
fi

if [ $failures -ne 0 ]; then
  echo "$failures reliability checks failed"
  exit 1
fi
echo "all reliability checks passed"
