#!/bin/bash
# Bad input must exit non-zero with exactly one line on stderr that names the
# file, the entry or line, and what is allowed.
# Usage: bad_input.sh FBPINN_BINARY SOURCE_DIR
set -u
source "$(dirname "$0")/lib.sh"
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
  check_one_line_error "$name" $? "$@" && echo "ok   $name: $(cat stderr)"
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
# A nonlinear problem with a solver that cannot treat Newton's Jacobian, an
# iteration limit it cannot meet, and Newton's iteration limit reached.
expect_error cg_on_newton.prm \
  'set Dimension = 1\nsubsection Problem\n  set Name = bratu\nend\nsubsection Mesh\n  set Global refinements = 2\nend\n' \
  'cg_on_newton\.prm' 'cg-amg' 'Newton Jacobian' 'gmres-amg'
expect_error newton_limit.prm \
  'set Dimension = 1\nsubsection Problem\n  set Name = bratu\nend\nsubsection Mesh\n  set Global refinements = 2\nend\nsubsection FEM\n  set Solver = direct\nend\nsubsection Nonlinear solver\n  set Max iterations = 1\nend\n' \
  'newton_limit\.prm' 'newton\+direct' "'Max iterations' = 1" 'Nonlinear solver'
expect_error bratu_lambda.prm \
  'set Dimension = 1\nsubsection Problem\n  set Name = bratu\n  subsection bratu\n    set Lambda = 4\n  end\nend\n' \
  'bratu_lambda\.prm' "'Lambda'" '3\.5138'

# Bad ELM parameters.
elm='set Method = elm\nsubsection Mesh\n  set Subdivisions = 4\n  set Global refinements = 0\nend\n'
expect_error elm_no_features.prm "${elm}subsection ELM\n  set Features per subdomain = 0\nend\n" \
  'elm_no_features\.prm' 'Features per subdomain' 'at least 1'
expect_error elm_overlap_one.prm "${elm}subsection ELM\n  set Overlap factor = 1.0\nend\n" \
  'elm_overlap_one\.prm' 'Overlap factor' 'greater than 1'
expect_error elm_overlap_large.prm "${elm}subsection ELM\n  set Overlap factor = 3.5\nend\n" \
  'elm_overlap_large\.prm' 'Overlap factor' 'below 3'
fb='set Dimension = 1\nset Method = fbpinn\nsubsection Problem\n  set Name = harmonic-oscillator\nend\nsubsection Mesh\n  set Subdivisions = 4\nend\n'
expect_error fbpinn_layers.prm "${fb}subsection Network\n  set Hidden layers = 32,x\nend\n" \
  'fbpinn_layers\.prm' "Hidden layers" '32,x' 'e\.g\. 32'
expect_error fbpinn_resume.prm "${fb}subsection Training\n  set Steps = 1\n  set Resume from = no-such-dir\nend\n" \
  'fbpinn_resume\.prm' "Resume from" 'no-such-dir' 'Checkpoint interval'
expect_error fbpinn_diverge.prm "${fb}subsection FBPINN\n  set Hard constraints = true\nend\nsubsection Training\n  set Learning rate = 100\n  set Steps = 500\n  set Progress interval = 0\nend\n" \
  'fbpinn_diverge\.prm' 'diverged at step' 'Learning rate'
expect_error elm_levels.prm "${elm}subsection ELM\n  set Levels = 3\nend\n" \
  'elm_levels\.prm' "'Levels' = 3" 'Global refinements'
expect_error elm_solver.prm "${elm}subsection Linear solver\n  set Name = cg\nend\n" \
  'elm_solver\.prm' 'Name' 'lsqr' 'qr'
expect_error elm_no_ansatz.prm "${elm}subsection Problem\n  set Name = poisson\nend\nsubsection ELM\n  set Hard constraints = true\nend\n" \
  'elm_no_ansatz\.prm' 'Hard constraints' 'no hard-constraint ansatz'
expect_error fem_on_ode.prm 'set Dimension = 1\nsubsection Problem\n  set Name = cos-ode\nend\n' \
  'fem_on_ode\.prm' 'fem' 'Dirichlet' 'elm'
expect_error oscillator_2d.prm 'set Dimension = 2\nset Method = elm\nsubsection Problem\n  set Name = harmonic-oscillator\nend\n' \
  'oscillator_2d\.prm' 'harmonic-oscillator' 'not available in 2D' '1D'

# An under-sampled ELM problem runs but warns (1 point per direction: 16 cell rows
# and 16 boundary rows for 4² × 8 = 128 unknowns: 0.25 rows per unknown).
printf 'set Dimension = 2\nset Method = elm\nset Output directory = undersampled\nsubsection Mesh\n  set Subdivisions = 4\n  set Global refinements = 0\nend\nsubsection ELM\n  set Features per subdomain = 8\n  set Collocation points per direction = 1\nend\nsubsection Linear solver\n  set Name = qr\nend\n' > undersampled.prm
if "$fbpinn" undersampled.prm > stdout 2> stderr && grep -q 'warning: ELM has 0.25 collocation rows per unknown' stderr; then
  echo "ok   undersampled.prm: $(head -c 120 stderr)"
else
  echo "FAIL undersampled.prm: no warning"; cat stderr; failures=$((failures + 1))
fi

# A solve that does not converge exits non-zero after recording it (in the
# run's own directory), unless
# 'Allow unconverged = true'.
unconverged='set Method = elm\nsubsection Mesh\n  set Subdivisions = 4\n  set Global refinements = 0\nend\nsubsection ELM\n  set Features per subdomain = 8\nend\nsubsection Linear solver\n  set Name = lsqr\n  set Max iterations = 2\nend\n'
expect_error unconverged.prm "set Output directory = unconverged\n${unconverged}" \
  'unconverged\.prm' 'lsqr' 'did not converge' 'Allow unconverged'
# A failed run publishes nothing: its metrics stay in its own run directory,
# which the message names.
if ! grep -q '"converged": false' unconverged/run-*.partial/metrics.json ||
   ! grep -q "unconverged/run-.*\.partial" stderr || [ -e unconverged/metrics.json ]; then
  echo "FAIL unconverged.prm: the failed run's metrics.json is not kept in its run-*.partial directory"
  cat stderr; ls -R unconverged; failures=$((failures + 1))
fi
printf "set Output directory = allowed\nset Allow unconverged = true\n${unconverged}" > allowed.prm
if "$fbpinn" allowed.prm > stdout 2> stderr && grep -q 'warning: .*did not converge' stdout; then
  echo "ok   allowed.prm: exit 0 with a warning"
else
  echo "FAIL allowed.prm: expected exit 0 and a warning"; cat stdout stderr; failures=$((failures + 1))
fi

# Command-line misuse.
"$fbpinn" --bogus > /dev/null 2> stderr && { echo "FAIL --bogus: exit 0"; failures=$((failures + 1)); }
grep -q 'help' stderr || { echo "FAIL --bogus: no hint"; cat stderr; failures=$((failures + 1)); }
"$fbpinn" > /dev/null 2>&1 && { echo "FAIL no argument: exit 0"; failures=$((failures + 1)); }

if [ $failures -ne 0 ]; then
  echo "$failures bad-input checks failed"
  exit 1
fi
echo "all bad-input checks passed"
