#!/bin/bash
# Checkpoints and failed trainings as a user meets them (issue 13): a tiny 1D
# fbpinn run (harmonic oscillator, 4 subdomains, 16 tanh units, 100 Adam
# steps) writes a checkpoint; resuming from it works, and resuming from a
# copy with one flipped byte, a truncated copy, or with Activation = sin,
# Hidden layers = 16,16, Method = pinn or Steps below the checkpoint's step
# exits non-zero with exactly one line on stderr that names the entry, the
# file and what differs, and leaves the checkpoint unchanged; a checkpoint
# written on 2 ranks resumes on 1. A learning rate
# at which the loss ends above its start (30, on 4 subdomains of 32 units)
# exits non-zero with "training diverged", not with a summary. Seconds.
# Usage: checkpoints.sh FBPINN_BINARY SOURCE_DIR
set -u
source "$(dirname "$0")/lib.sh"
fbpinn=$1
failures=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

# case_prm OUTPUT STEPS [EXTRA-TRAINING [EXTRA-NETWORK [METHOD]]]
case_prm() {
  printf 'set Dimension = 1\nset Method = %s\nset Output directory = %s\nset Write solution = false\nsubsection Problem\n  set Name = harmonic-oscillator\nend\nsubsection Mesh\n  set Subdivisions = 4\n  set Global refinements = 0\nend\nsubsection FBPINN\n  set Hard constraints = true\nend\nsubsection Network\n  set Hidden layers = 16\n%bend\nsubsection Training\n  set Steps = %s\n  set Progress interval = 0\n%bend\n' \
    "${5:-fbpinn}" "$1" "${4:-}" "$2" "${3:-}"
}

# expect_error NAME REGEX...: run NAME.prm and check the exit code, one line
# on stderr, every REGEX, and that source/checkpoint.bin is unchanged.
expect_error() {
  local name=$1
  shift
  local before
  before=$(md5sum < source/checkpoint.bin)
  "$fbpinn" "$name.prm" > stdout 2> stderr
  check_one_line_error "$name" $? "$@" || return
  if [ "$(md5sum < source/checkpoint.bin)" != "$before" ]; then
    echo "FAIL $name: source/checkpoint.bin changed"; failures=$((failures + 1)); return
  fi
  echo "ok   $name: $(cat stderr)"
}

# The checkpoint of step 100, and a run resumed from it (positive control).
case_prm first 100 '  set Checkpoint interval = 100\n' > first.prm
if ! "$fbpinn" first.prm > stdout 2> stderr || [ ! -s first/checkpoint.bin ]; then
  echo "FAIL first: no checkpoint written:"; cat stderr; exit 1
fi
mkdir -p source
cp first/checkpoint.bin source/checkpoint.bin
case_prm resumed 200 '  set Resume from = source\n' > resumed.prm
if "$fbpinn" resumed.prm > stdout 2> stderr && [ ! -s stderr ] &&
  grep -q '^fbpinn: step 200/200' stdout; then
  echo "ok   resumed: continued from step 100 to 200"
else
  echo "FAIL resumed:"; cat stdout stderr; failures=$((failures + 1))
fi

# Written on 2 ranks, resumed on 1 (2D, 4 x 4 subdomains): the checkpoint
# holds the parameters by global index and a rank-independent signature.
ranks_prm() {
  printf 'set Dimension = 2\nset Method = fbpinn\nset Output directory = %s\nset Write solution = false\nsubsection Mesh\n  set Subdivisions = 4\n  set Global refinements = 0\nend\nsubsection Network\n  set Hidden layers = 8\nend\nsubsection Training\n  set Steps = %s\n  set Progress interval = 0\n%bend\n' "$@"
}
ranks_prm two 20 '  set Checkpoint interval = 20\n' > two.prm
ranks_prm one 40 '  set Resume from = two\n' > one.prm
if mpirun --allow-run-as-root --oversubscribe -np 2 "$fbpinn" two.prm > stdout 2> stderr &&
  "$fbpinn" one.prm > stdout 2> stderr && grep -q '^fbpinn: step 20/40' stdout; then
  echo "ok   ranks: written on 2 ranks, resumed on 1"
else
  echo "FAIL ranks:"; cat stdout stderr; failures=$((failures + 1))
fi

# A corrupted copy: one byte in the middle of the payload flipped.
mkdir -p flipped
cp source/checkpoint.bin flipped/checkpoint.bin
offset=$(($(stat -c %s flipped/checkpoint.bin) / 2))
byte=$(od -An -tu1 -j "$offset" -N1 flipped/checkpoint.bin | tr -d ' ')
printf "\\$(printf '%03o' $((byte ^ 0x20)))" |
  dd of=flipped/checkpoint.bin bs=1 seek="$offset" conv=notrunc status=none
cmp -s flipped/checkpoint.bin source/checkpoint.bin && { echo "FAIL: byte not flipped"; exit 1; }
case_prm out 200 '  set Resume from = flipped\n' > flipped.prm
cp flipped/checkpoint.bin source/checkpoint.bin.flipped
expect_error flipped "Resume from" 'flipped/checkpoint\.bin' 'checksum' 'corrupted'
cmp -s flipped/checkpoint.bin source/checkpoint.bin.flipped ||
  { echo "FAIL flipped: flipped/checkpoint.bin changed"; failures=$((failures + 1)); }

# A truncated copy.
mkdir -p truncated
head -c 1000 source/checkpoint.bin > truncated/checkpoint.bin
case_prm out 200 '  set Resume from = truncated\n' > truncated.prm
expect_error truncated "Resume from" 'truncated/checkpoint\.bin' 'is truncated'

# Another network, another method, or a checkpoint beyond 'Steps'.
case_prm out 200 '  set Resume from = source\n' '  set Activation = sin\n' > sin.prm
expect_error sin "Resume from" 'source/checkpoint\.bin' \
  'hidden layers 16 and activation tanh; this run has 1 / 16 / sin'
case_prm out 200 '  set Resume from = source\n' '  set Hidden layers = 16,16\n' > layers.prm
expect_error layers "Resume from" 'source/checkpoint\.bin' \
  'hidden layers 16 and activation tanh; this run has 1 / 16,16 / tanh' 'Hidden layers'
case_prm out 200 '  set Resume from = source\n' '' pinn > pinn.prm
expect_error pinn "Resume from" "method 'fbpinn'; this run is 'pinn'"
case_prm out 50 '  set Resume from = source\n' > steps.prm
expect_error steps "Resume from" "step 100, beyond 'Steps' = 50"

# Training that ends above its first loss (far below 'Divergence factor').
printf "set Dimension = 1\nset Method = fbpinn\nset Output directory = lr30\nset Write solution = false\nsubsection Problem\n  set Name = harmonic-oscillator\nend\nsubsection Mesh\n  set Subdivisions = 4\n  set Global refinements = 0\nend\nsubsection FBPINN\n  set Hard constraints = true\nend\nsubsection Training\n  set Learning rate = 30\n  set Steps = 500\n  set Progress interval = 0\nend\n" > lr30.prm
expect_error lr30 'lr30\.prm' 'training diverged at step 500' 'final loss' \
  'above the first loss' 'lower the Learning rate'
if grep -q '"converged"' lr30/metrics.json 2> /dev/null; then
  echo "FAIL lr30: metrics.json written"; failures=$((failures + 1))
fi

[ $failures -eq 0 ] || { echo "$failures failures"; exit 1; }
