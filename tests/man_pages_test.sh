#!/usr/bin/env bash
# The man pages as man(1) shows them to a reader carry no scdoc markup that failed to render:
# no stray _WORD_ (emphasis scdoc took literally, e.g. right after a letter, as in \t_TEXT_).
# Identifiers that really contain underscores (TCP_USER_TIMEOUT, NO_COLOR) are not markup.
# Usage: man_pages_test.sh PAGE...
set -euo pipefail

fail=0
for page in "$@"; do
  # Wide, unhyphenated and unjustified, so no word is split across lines; sed drops any
  # overstrike (bold, underline) formatting.
  text=$(MANWIDTH=200 man --no-hyphenation --no-justification -l "$page" 2>/dev/null | sed 's/.\x08//g')
  if [ -z "$text" ]; then
    echo "FAIL $page: man rendered nothing"
    fail=1
    continue
  fi
  stray=$(sed -E 's/\b[A-Z][A-Z0-9]*(_[A-Z0-9]+)+\b//g' <<<"$text" | grep -nE '_[A-Za-z][A-Za-z0-9:.-]*_' || true)
  if [ -n "$stray" ]; then
    echo "FAIL $page: literal underscores of unrendered emphasis:"
    echo "$stray"
    fail=1
  else
    echo "ok   $page ($(wc -l <<<"$text") lines rendered, no stray _WORD_)"
  fi
done
exit "$fail"
