#!/bin/bash
# Bad input must exit non-zero with exactly one line on stderr that names the
# file, the entry or line, and what is allowed.
# Usage: bad_input.sh FBPINN_BINARY SOURCE_DIR
set -u
fbpinn=$1
failures=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

# expect_error NAME CONTENTS REGEX...: run NAME (written with CONTENTS unless
# CONTENTS is '-') and check the exit code and every REGEX against stderr.
expect_error() {
  local name=$1 contents=$2
  shift 2
  [ "$contents" = "-" ] || printf '%b' "$contents" > "$name"
  "$fbpinn" "$name" > stdout 2> stderr
  local rc=$?
  local lines
  lines=$(wc -l < stderr)
  if [ $rc -eq 0 ]; then
    echo "FAIL $name: exit code 0"; failures=$((failures + 1)); return
  fi
  if [ "$lines" -ne 1 ]; then
    echo "FAIL $name: $lines lines on stderr:"; cat stderr; failures=$((failures + 1)); return
  fi
  for regex in "$@"; do
    if ! grep -Eq -- "$regex" stderr; then
      echo "FAIL $name: stderr does not match '$regex':"; cat stderr
      failures=$((failures + 1)); return
    fi
  done
  echo "ok   $name: $(cat stderr)"
}

expect_error unknown_entry.prm 'set Dimension = 2\nset Polynomial degree = 3\n' \
  'unknown_entry\.prm' 'Line <2>' 'Polynomial degree' 'print-parameters'
expect_error unknown_problem.prm 'subsection Problem\n  set Name = poison\nend\n' \
  'unknown_problem\.prm' 'poison' 'Name' 'multiscale-laplace' 'poisson' 'helmholtz'
expect_error unknown_method.prm 'set Method = fe\n' \
  'unknown_method\.prm' 'Method' 'fem'
expect_error wrong_type.prm 'subsection FEM\n  set Polynomial degree = two\nend\n' \
  'wrong_type\.prm' 'Polynomial degree' 'two' 'Integer range 1\.\.\.6'
expect_error degree_out_of_range.prm 'subsection FEM\n  set Polynomial degree = 7\nend\n' \
  'degree_out_of_range\.prm' 'Polynomial degree' 'Integer range 1\.\.\.6'
expect_error dimension4.prm 'set Dimension = 4\n' \
  'dimension4\.prm' 'Dimension' 'Integer range 1\.\.\.3'
expect_error dimension4.json '{ "Dimension": "4" }\n' \
  'dimension4\.json' 'Integer range 1\.\.\.3'
expect_error missing.prm - 'missing\.prm' 'cannot open'
expect_error parameters.txt 'set Dimension = 2\n' 'parameters\.txt' '\.prm or \.json'
expect_error missing_plugin.prm 'set Additional shared libraries = ./libnot-there.so\n' \
  'missing_plugin\.prm' 'Additional shared libraries' 'libnot-there\.so'
expect_error cg_on_indefinite.prm \
  'subsection Problem\n  set Name = helmholtz\nend\nsubsection Mesh\n  set Global refinements = 2\nend\n' \
  'cg_on_indefinite\.prm' 'Solver' 'direct'

# Command-line misuse.
"$fbpinn" --bogus > /dev/null 2> stderr && { echo "FAIL --bogus: exit 0"; failures=$((failures + 1)); }
grep -q 'help' stderr || { echo "FAIL --bogus: no hint"; cat stderr; failures=$((failures + 1)); }
"$fbpinn" > /dev/null 2>&1 && { echo "FAIL no argument: exit 0"; failures=$((failures + 1)); }

if [ $failures -ne 0 ]; then
  echo "$failures bad-input checks failed"
  exit 1
fi
echo "all bad-input checks passed"
