#!/usr/bin/env bash
# `hookline completion bash|zsh`: the bash script, sourced in a fresh bash,
# completes every subcommand the binary's help lists, at every level, and the
# flags of a subcommand; the zsh script is the same function under bashcompinit.
# Usage: completion_test.sh HOOKLINE_BINARY
HOOKLINE=$1
source "$(dirname "$0")/support/lib.sh"

"$HOOKLINE" completion bash > "$WORK/hookline.bash" || fail "completion bash failed"
bash -n "$WORK/hookline.bash" || fail "the bash script does not parse"

# complete WORDS…: what <TAB> offers after WORDS (the last word is the one being completed).
complete_words() {
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _hookline; printf "%s\n" "${COMPREPLY[@]}"' \
    _ "$WORK/hookline.bash" hookline "$@"
}
expect_completion() {  # expect_completion EXPECTED WORDS…
  local expected=$1; shift
  local offered
  offered=$(complete_words "$@")
  grep -qx -- "$expected" <<< "$offered" ||
    fail "hookline $* <TAB> does not offer $expected: $(complete_words "$@" | tr '\n' ' ')"
}

expect_completion events ev
[[ $(complete_words ev) == events ]] || fail "hookline ev<TAB> is ambiguous: $(complete_words ev)"
expect_completion attempts events att
expect_completion --limit events list --li
expect_completion --forward-to listen --forward-connect-to localhost:1/x --for
expect_completion --stripe-account endpoints attempts we_1 --str
if grep -qx serve <<< "$(complete_words events list)"; then fail "events list <TAB> offers serve"; fi

# Every subcommand of every level, as the binary's own help lists them.
subcommands_of() { "$HOOKLINE" "$@" --help | awk '/^Subcommands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }'; }
for top in $(subcommands_of); do
  expect_completion "$top" "${top:0:2}"
  for sub in $(subcommands_of "$top"); do expect_completion "$sub" "$top" "${sub:0:2}"; done
  for flag in $("$HOOKLINE" "$top" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
    expect_completion "$flag" "$top" "$flag"
  done
done

"$HOOKLINE" completion zsh > "$WORK/hookline.zsh" || fail "completion zsh failed"
grep -q "bashcompinit" "$WORK/hookline.zsh" || fail "the zsh script does not load bashcompinit"
grep -q "complete -F _hookline hookline" "$WORK/hookline.zsh" || fail "the zsh script registers nothing"
if "$HOOKLINE" completion fish 2> /dev/null; then fail "completion fish exited 0"; fi
echo ok
