# Shared by the shell tests of the binary: source it after setting
# 'failures=0'. The tests run a command with its stderr in the file 'stderr'.

# check_one_line_error LABEL RC REGEX...: the command failed (RC != 0), wrote
# exactly one line to stderr, and that line matches every REGEX. Otherwise
# report, count a failure and return 1.
check_one_line_error() {
  local label=$1 rc=$2
  shift 2
  if [ "$rc" -eq 0 ]; then
    echo "FAIL $label: exit code 0"; failures=$((failures + 1)); return 1
  fi
  local lines
  lines=$(wc -l < stderr)
  if [ "$lines" -ne 1 ]; then
    echo "FAIL $label: $lines lines on stderr:"; cat stderr; failures=$((failures + 1)); return 1
  fi
  local regex
  for regex in "$@"; do
    if ! grep -Eq -- "$regex" stderr; then
      echo "FAIL $label: stderr does not match '$regex':"; cat stderr
      failures=$((failures + 1)); return 1
    fi
  done
  return 0
}
