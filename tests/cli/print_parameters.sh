#!/bin/bash
# --help, --print-parameters and --print-parameters=json: exit 0, document
# every registered problem and method, the geometries, the boundary-condition
# and reference-solution entries, and print a file the binary accepts.
# Usage: print_parameters.sh FBPINN_BINARY SOURCE_DIR
set -eu
fbpinn=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

"$fbpinn" --help | grep -q 'Usage'
"$fbpinn" --print-parameters > defaults.prm
for needle in 'set Dimension' 'set Method' 'set Output directory' \
  'set Number of refinement cycles' 'set Additional shared libraries' \
  'subsection Problem' 'subsection multiscale-laplace' 'set Number of scales' \
  'set Wave number' 'subsection Mesh' 'set Subdivisions' 'set Global refinements' \
  'subsection FEM' 'set Polynomial degree' "\`multiscale-laplace'" "\`fem'" \
  "\`elm'" 'subsection ELM' 'set Features per subdomain' 'set Overlap factor' \
  'set Collocation points per direction' 'set Activation' 'set Feature scale' \
  'set Seed' 'set Boundary weight' 'set Hard constraints' 'subsection Linear solver' \
  'set Tolerance' 'set Max iterations' 'subsection harmonic-oscillator' 'set Omega0' \
  'set Damping' 'subsection cos-ode' 'set Omega' \
  'subsection Geometry' 'hyper-rectangle' 'l-shape' 'hyper-ball' 'hyper-shell' \
  'gmsh' 'set Mesh file' 'set Inner radius' \
  'subsection Boundary conditions' 'set Dirichlet boundary ids' \
  'set Neumann boundary ids' 'set Robin boundary ids' 'set Robin coefficient' \
  'set Dirichlet components' 'subsection Reference solution' \
  'set Additional refinements' 'subsection Nonlinear solver'; do
  grep -q -- "$needle" defaults.prm || { echo "FAIL: '$needle' missing"; exit 1; }
done
"$fbpinn" --print-parameters=json > defaults.json
/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert "Problem" in d and "FEM" in d' defaults.json

# The printed defaults, with a small mesh, are a valid parameter file.
sed -e 's/set Global refinements *= *[0-9]*/set Global refinements = 2/' \
    -e 's|set Output directory *=.*|set Output directory = out|' defaults.prm > small.prm
"$fbpinn" small.prm > run.log
grep -q 'fbpinn: fem | multiscale-laplace | 2D' run.log
test -f out/metrics.json
echo "print-parameters checks passed"
