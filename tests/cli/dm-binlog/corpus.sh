#!/usr/bin/env bash
# The binlog corpus against mariadb-binlog's reference decodings, as TAP.
#
#   tests/cli/dm-binlog/corpus.sh [NAME-SUBSTRING]
#
# For every file of ../shared/corpus/binlog (relative to the source tree)
# that has a reference decoding FILE.mariadb-binlog.txt[.gz] (made by
# `mariadb-binlog --verbose --base64-output=decode-rows FILE` in UTC), the
# lines that start with "###" in `dm-binlog --format=text FILE` must equal
# the reference's, in order. For FILE.mariadb-binlog.partial.txt (that
# tool stopped early) the reference's "###" lines must be a prefix of
# ours. The other lines are compared too, for information only: a "#"
# note says how many differ. Without the corpus it prints "1..0" and exits
# 77 (skipped).
#
# Binary: ${DM_BUILD_DIR:-build/release}/bin/dm-binlog. Exit status 1 if a
# file failed, 2 if the binary is missing.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
corpus=$root/../shared/corpus/binlog
build=${DM_BUILD_DIR:-build/release}
case $build in
/*) bin=$build/bin/dm-binlog ;;
*) bin=$root/$build/bin/dm-binlog ;;
esac
filter=${1:-}

if [ ! -d "$corpus" ]; then
	echo "# SKIP binlog corpus not found at $corpus"
	echo "1..0"
	exit 77
fi
if [ ! -x "$bin" ]; then
	echo "Bail out! $bin is missing (build it first)"
	exit 2
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dmb-corpus.XXXXXX") || exit 2
trap 'rm -rf -- "$tmp"' EXIT

# Prints the first differing line pair of two files of lines as TAP notes.
first_diff() {
	awk -v ref="$1" -v got="$2" 'BEGIN {
		n = 0
		while (1) {
			a = (getline la < ref) > 0
			b = (getline lb < got) > 0
			n++
			if (!a && !b) exit
			if (!a) la = "(end)"
			if (!b) lb = "(end)"
			if (!a || !b || la != lb) {
				printf "#   ### line %d differs\n", n
				printf "#   mariadb-binlog: %.300s\n", la
				printf "#   dm-binlog:      %.300s\n", lb
				exit
			}
		}
	}'
}

n=0 failed=0 full=0 partial=0 exact=0
for ref in "$corpus"/*.mariadb-binlog.txt "$corpus"/*.mariadb-binlog.txt.gz \
	"$corpus"/*.mariadb-binlog.partial.txt; do
	[ -e "$ref" ] || continue
	name=${ref##*/}
	case $name in
	*.partial.txt) bin_name=${name%.mariadb-binlog.partial.txt}; kind=partial ;;
	*.txt.gz) bin_name=${name%.mariadb-binlog.txt.gz}; kind=full ;;
	*) bin_name=${name%.mariadb-binlog.txt}; kind=full ;;
	esac
	case $bin_name in *"$filter"*) ;; *) continue ;; esac
	n=$((n + 1))
	input=$corpus/$bin_name
	case $bin_name in
	*.gz) gzip -dc "$input" >"$tmp/input" && input=$tmp/input ;;
	esac
	case $name in
	*.gz) gzip -dc "$ref" >"$tmp/ref" ;;
	*) cp "$ref" "$tmp/ref" ;;
	esac
	if [ $kind = partial ]; then
		# Its first lines say why the tool stopped.
		grep -a -v '^# mariadb-binlog (\|^# stderr: \|^# Output below' \
			"$tmp/ref" >"$tmp/ref.body"
		mv "$tmp/ref.body" "$tmp/ref"
	fi
	TZ=UTC "$bin" --format=text "$input" >"$tmp/out" 2>"$tmp/err"
	status=$?
	grep -a '^###' "$tmp/ref" >"$tmp/ref.rows"
	grep -a '^###' "$tmp/out" >"$tmp/out.rows"
	nref=$(wc -l <"$tmp/ref.rows")
	ok=1
	if [ $kind = partial ]; then
		head -n "$nref" "$tmp/out.rows" >"$tmp/out.head"
		cmp -s "$tmp/ref.rows" "$tmp/out.head" || ok=0
	else
		cmp -s "$tmp/ref.rows" "$tmp/out.rows" || ok=0
	fi
	other=$(diff "$tmp/ref" "$tmp/out" | grep -c '^[<>]')
	if [ $ok -eq 1 ]; then
		echo "ok $n - $bin_name ($nref ### lines, $kind reference)"
		[ $kind = full ] && full=$((full + 1)) || partial=$((partial + 1))
		[ "$other" -eq 0 ] && exact=$((exact + 1))
	else
		echo "not ok $n - $bin_name ($kind reference)"
		if [ $kind = partial ]; then
			first_diff "$tmp/ref.rows" "$tmp/out.head"
		else
			first_diff "$tmp/ref.rows" "$tmp/out.rows"
		fi
		failed=$((failed + 1))
	fi
	if [ "$other" -ne 0 ]; then
		echo "#   other lines: $other differ (exit status $status)"
	fi
	if [ $status -ne 0 ]; then
		sed 's/^/#   stderr: /' "$tmp/err" | head -3
	fi
done
echo "1..$n"
echo "# $((full + partial)) of $n match ($full full references, $partial partial); $exact identical in every line"
[ $failed -eq 0 ]
