#!/usr/bin/env bash
# Shows that the pump's model-based test (src/device/machine.test.ts) catches a wrong pump: applies each
# mutation below in turn, runs the test, and fails if the test still passes. The work tree is restored
# after each mutation (also on Ctrl-C).
set -uo pipefail
cd "$(dirname "$0")/.."
test_file=src/device/machine.test.ts
status=0
restore() { [ -n "${file:-}" ] && [ -f "/tmp/itb-mutation.$$" ] && cp "/tmp/itb-mutation.$$" "$file" && rm -f "/tmp/itb-mutation.$$"; }
trap 'restore; exit 130' INT TERM
mutate() { # name, file, sed expression
  local name=$1 expr=$3
  file=$2
  cp "$file" "/tmp/itb-mutation.$$"
  sed -i "$expr" "$file"
  if cmp -s "$file" "/tmp/itb-mutation.$$"; then
    echo "FAIL  $name: the mutation no longer applies to $file (update this script)"
    status=1
  elif npx vitest run "$test_file" >/dev/null 2>&1; then
    echo "FAIL  $name: the model-based test still passes"
    status=1
  else
    echo "ok    $name: the model-based test fails"
  fi
  restore
  file=
}
mutate "delivery depletes the reservoir twice as fast" src/device/delivery.ts \
  's/    s.calculatedNl -= m;/    s.calculatedNl -= 2 * m;/'
mutate "a bolus may start on an empty reservoir" src/device/validate.ts \
  's/        if (v > calculatedAfterNl) {/        if (false \&\& v > calculatedAfterNl) {/'
mutate "the battery never reaches ERI" src/device/advance.ts \
  "s/    due.push({ type: 'BATTERY.ERI' });/    void 0;/"
if npx vitest run "$test_file" >/dev/null 2>&1; then echo "ok    the real pump passes"; else
  echo "FAIL  the real pump fails the model-based test"; status=1; fi
exit $status
