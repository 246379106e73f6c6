#!/bin/sh
# serve_errors.sh BENCH_ARITH -- the co-process mode's answers to commands
# it cannot carry out: each is an "error<TAB>reason" line, and the program
# goes on to serve the next command.  Times nothing: no operation is timed.
set -u
exe=$1
out=$(printf 'time mul\nsize abc\nsize 0\nsize 100000001\ntime nosuch\nsize 10\nquit\n' | "$exe" --serve) || {
  echo "serve_errors: $exe --serve exited with status $?"; exit 1; }
fail=0
expect() {   # the whole line, in order of the commands
  if ! printf '%s\n' "$out" | grep -qxF "$1"; then
    echo "serve_errors: missing line: $1"; fail=1
  fi
}
tab=$(printf '\t')
expect "ready"
expect "error${tab}time before size"
expect "error${tab}size wants a digit count from 1 to 100000000"
expect "error${tab}no such op"
# and after the errors it still serves: the operands of 10 digits
printf '%s\n' "$out" | grep -Eqx "operands${tab}10${tab}[1-9][0-9]{9}${tab}[1-9][0-9]{9}" || {
  echo "serve_errors: no operands line for size 10"; fail=1; }
n=$(printf '%s\n' "$out" | grep -c "^error${tab}size wants")
[ "$n" -eq 3 ] || { echo "serve_errors: $n size errors, want 3"; fail=1; }
[ "$fail" -eq 0 ] && echo "serve_errors: ok"
exit "$fail"
