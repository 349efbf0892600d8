#!/usr/bin/env bash
# shellcheck disable=SC2016 # single quotes on purpose: expanded by eval/sh
# Proves that tests/sandbox/sandbox starts what the integration tests need
# and always cleans up: real servers, no mocks. Prints TAP-like lines; exits
# non-zero if any check fails.
#
#   tests/sandbox/selftest.sh
#
# Also builds tests/sandbox/selftest.c (cmocka + libmariadb, through the
# sandbox.h helpers) in a temporary directory and runs it in a sandbox with
# two upstreams; set CC to choose the compiler.
set -u -o pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
sandbox=$here/sandbox
work=$(mktemp -d "${TMPDIR:-/tmp}/libdm-sandbox-selftest.XXXXXX") || exit 1
export TMPDIR=$work	# every sandbox of this run lives under $work

n=0
failed=0

finish()
{
	local d p
	for p in $(jobs -p); do	# our own children still running
		kill -TERM "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	# Anything a failed check left behind.
	for d in "$work"/libdm-sandbox.* "$work"/dir-*; do
		[ -f "$d/.libdm-sandbox" ] && "$sandbox" stop --quiet "$d"
	done
	rm -rf "$work"
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ok()
{
	n=$((n + 1))
	echo "ok $n - $*"
}

not_ok()
{
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $*"
}

check()
{
	local what=$1
	shift
	if "$@"; then
		ok "$what"
	else
		not_ok "$what"
	fi
}

# PIDs of live (non-zombie) mariadbd processes whose datadir is under $1.
servers_in()
{
	local f p state
	# shellcheck disable=SC2013 # /proc paths have no spaces
	for f in $(grep -lzF -- "--datadir=$1/" /proc/[0-9]*/cmdline 2>/dev/null); do
		p=${f%/cmdline}
		state=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "$p/status" 2>/dev/null)
		[ -n "$state" ] && [ "$state" != Z ] && echo "${p#/proc/}"
	done
	return 0
}

no_servers_in() { [ -z "$(servers_in "$1")" ]; }

# eventually CMD...: CMD succeeds within 3 s (a killed process can take a
# moment to leave the process table on a loaded machine).
eventually()
{
	local i
	for i in $(seq 30); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}
gone() { [ ! -e "$1" ] && no_servers_in "$1"; }

# sql HOST PORT USER PASSWORD SQL: runs SQL over TCP, prints tab-separated rows.
sql()
{
	MYSQL_PWD=$4 mariadb --no-defaults --protocol=tcp --connect-timeout=5 \
		-h "$1" -P "$2" -u "$3" -N -B -e "$5"
}

# upstream_var I FIELD: prints $DM_UPSTREAM<I>_<FIELD>.
upstream_var()
{
	local v=DM_UPSTREAM$1_$2
	printf '%s\n' "${!v}"
}

# wait_for FILE SECONDS
wait_for()
{
	local i
	for ((i = 0; i < $2 * 20; i++)); do
		[ -e "$1" ] && return 0
		sleep 0.05
	done
	return 1
}

### start / stop with two upstreams and a downstream ##########################

t0=$(date +%s%3N)
if env_out=$("$sandbox" start --quiet --upstreams 2 2>"$work/start.err"); then
	ok "start --upstreams 2 ($(($(date +%s%3N) - t0)) ms)"
else
	not_ok "start --upstreams 2"
	cat "$work/start.err" >&2
	exit 1
fi
eval "$env_out"
sdir=$DM_SANDBOX_DIR
check "DM_UPSTREAM_COUNT is 2" [ "$DM_UPSTREAM_COUNT" = 2 ]
check "DM_UPSTREAM_* repeat upstream 1" eval '
	[ "$DM_UPSTREAM_PORT" = "$DM_UPSTREAM1_PORT" ] &&
	[ "$DM_UPSTREAM_PASSWORD" = "$DM_UPSTREAM1_PASSWORD" ] &&
	[ "$DM_UPSTREAM_SOCKET" = "$DM_UPSTREAM1_SOCKET" ] &&
	[ "$DM_UPSTREAM_HOST" = 127.0.0.1 ] && [ "$DM_UPSTREAM_USER" = root ]'

for i in 1 2; do
	h=$(upstream_var "$i" HOST) p=$(upstream_var "$i" PORT)
	u=$(upstream_var "$i" USER) pw=$(upstream_var "$i" PASSWORD)
	# shellcheck disable=SC2034 # used in the eval below
	sid=$(upstream_var "$i" SERVER_ID)
	got=$(sql "$h" "$p" "$u" "$pw" 'SELECT @@server_id, @@log_bin, @@binlog_format, @@port')
	check "upstream $i answers: server_id $((100 + i)), binlog on, ROW, port $p" \
		eval '[ "$got" = "$((100 + i))	1	ROW	$p" ] && [ "$sid" = $((100 + i)) ]'
	check "upstream $i: no login without a password" \
		eval '! sql "$h" "$p" "$u" "" "SELECT 1" 2>/dev/null'
	check "upstream $i: no login with a wrong password" \
		eval '! sql "$h" "$p" "$u" "x$pw" "SELECT 1" 2>/dev/null'
	got=$(sql "$h" "$p" "$u" "$pw" 'SELECT @@gtid_binlog_pos')
	check "upstream $i: binlog holds no transactions yet" [ -z "$got" ]
done
got=$(sql "$DM_DOWNSTREAM_HOST" "$DM_DOWNSTREAM_PORT" "$DM_DOWNSTREAM_USER" \
	"$DM_DOWNSTREAM_PASSWORD" 'SELECT @@server_id, @@log_bin, @@port')
check "downstream answers: server_id 200, no binlog" \
	[ "$got" = "200	0	$DM_DOWNSTREAM_PORT" ]
check "downstream: no login without a password" \
	eval '! sql "$DM_DOWNSTREAM_HOST" "$DM_DOWNSTREAM_PORT" root "" "SELECT 1" 2>/dev/null'
check "each server has its own password" \
	[ "$DM_UPSTREAM1_PASSWORD" != "$DM_UPSTREAM2_PASSWORD" \
	-a "$DM_UPSTREAM1_PASSWORD" != "$DM_DOWNSTREAM_PASSWORD" ]
check "the unix socket works too" \
	eval 'MYSQL_PWD=$DM_UPSTREAM2_PASSWORD mariadb --no-defaults -S "$DM_UPSTREAM2_SOCKET" -u root -N -B -e "SELECT @@server_id" | grep -qx 102'
check "3 servers run" [ "$(servers_in "$sdir" | wc -l)" = 3 ]
# Patterns from a file: grep's own command line must not hold them.
printf '%s\n' "$DM_UPSTREAM1_PASSWORD" "$DM_UPSTREAM2_PASSWORD" \
	"$DM_DOWNSTREAM_PASSWORD" >"$work/passwords"
check "no password on any command line" \
	eval '! cat /proc/[0-9]*/cmdline 2>/dev/null | tr "\0" "\n" | grep -qF -f "$work/passwords"'
check "no password in the server logs" \
	eval '! cat "$sdir"/*/mariadbd.err "$sdir"/*/mariadbd.out | grep -qF -f "$work/passwords"'
check "the init files holding passwords are gone" \
	eval '[ -z "$(ls "$sdir"/*/init.sql 2>/dev/null)" ]'
check "the sandbox directory is private (0700)" \
	[ "$(stat -c %a "$sdir")" = 700 ]
check "stop refuses a directory that is not a sandbox" \
	eval '! "$sandbox" stop --quiet "$work" 2>/dev/null && [ -d "$work" ]'

### restart / kill one server ################################################

dsql() { sql 127.0.0.1 "$DM_DOWNSTREAM_PORT" root "$DM_DOWNSTREAM_PASSWORD" "$1"; }
usql() { sql 127.0.0.1 "$DM_UPSTREAM1_PORT" root "$DM_UPSTREAM1_PASSWORD" "$1"; }

dsql 'CREATE DATABASE st; CREATE TABLE st.t (id INT PRIMARY KEY); INSERT INTO st.t VALUES (1), (2)'
old_pid=$(<"$sdir/d/pid")
t0=$(date +%s%3N)
"$sandbox" restart --quiet --down-for 2 d &	# DM_SANDBOX_DIR from the eval
rpid=$!
seen_down=0
for ((i = 0; i < 100; i++)); do
	dsql 'SELECT 1' >/dev/null 2>&1 || { seen_down=1; break; }
	sleep 0.05
done
check "restart --down-for 2 d: the downstream stops answering" [ "$seen_down" = 1 ]
wait "$rpid"
rc=$?
took=$(($(date +%s%3N) - t0))
check "restart --down-for 2 d succeeds ($took ms)" [ "$rc" = 0 ]
check "... after at least 2 s down" [ "$took" -ge 2000 ]
got=$(dsql 'SELECT @@port, @@server_id, (SELECT COUNT(*) FROM st.t)' 2>&1)
check "... answers on its port with its password, its data kept" \
	[ "$got" = "$DM_DOWNSTREAM_PORT	200	2" ]
check "... is a new process, recorded in its pid file" \
	eventually eval 'new_pid=$(<"$sdir/d/pid") && [ "$new_pid" != "$old_pid" ] &&
		! servers_in "$sdir" | grep -qx "$old_pid" &&
		servers_in "$sdir" | grep -qx "$new_pid"'
check "... was shut down cleanly" grep -q 'Shutdown complete' "$sdir/d/mariadbd.err"
check "... still without a password on any command line" \
	eval '! cat /proc/[0-9]*/cmdline 2>/dev/null | tr "\0" "\n" | grep -qF -f "$work/passwords"'

usql 'CREATE DATABASE st; CREATE TABLE st.t (id INT PRIMARY KEY); INSERT INTO st.t VALUES (1), (2), (3)'
# shellcheck disable=SC2034 # used in the eval below
old_pid=$(<"$sdir/u1/pid")
t0=$(date +%s%3N)
"$sandbox" kill --quiet u1
rc=$?
check "kill u1 succeeds ($(($(date +%s%3N) - t0)) ms)" [ "$rc" = 0 ]
got=$(usql 'SELECT @@port, @@log_bin, @@binlog_format, (SELECT COUNT(*) FROM st.t)' 2>&1)
check "... answers again with its options, committed rows recovered" \
	[ "$got" = "$DM_UPSTREAM1_PORT	1	ROW	3" ]
# shellcheck disable=SC2034 # used in the eval below
check "... is a new process, recorded in its pid file" \
	eventually eval 'new_pid=$(<"$sdir/u1/pid") && [ "$new_pid" != "$old_pid" ] &&
		! servers_in "$sdir" | grep -qx "$old_pid" &&
		servers_in "$sdir" | grep -qx "$new_pid"'
check "... went through crash recovery" \
	grep -q 'Recovering after a crash' "$sdir/u1/mariadbd.err"
check "3 servers run after restart and kill" [ "$(servers_in "$sdir" | wc -l)" = 3 ]
check "restart refuses a server the sandbox does not have" \
	eval '! "$sandbox" restart --quiet u7 2>/dev/null'
check "restart refuses a bad name and a bad --down-for (status 2)" \
	eval '"$sandbox" restart --quiet x1 2>/dev/null; [ $? = 2 ] &&
		{ "$sandbox" restart --quiet --down-for soon d 2>/dev/null; [ $? = 2 ]; }'
check "restart without DM_SANDBOX_DIR fails" \
	eval '! env -u DM_SANDBOX_DIR "$sandbox" restart --quiet d 2>/dev/null'

t0=$(date +%s%3N)
"$sandbox" stop --quiet "$sdir"
rc=$?
check "stop succeeds ($(($(date +%s%3N) - t0)) ms)" [ "$rc" = 0 ]
check "after stop: no mariadbd of the sandbox, directory removed" gone "$sdir"
unset sdir

### run #######################################################################

got=$("$sandbox" run --quiet -- sh -c 'echo "$DM_UPSTREAM_COUNT $DM_UPSTREAM1_SERVER_ID $DM_SANDBOX_DIR"; exit 3')
rc=$?
check "run passes CMD's exit status (3)" [ "$rc" = 3 ]
rdir=${got##* }
check "run exports the variables to CMD" [ "${got% *}" = "1 101" ]
check "run: everything gone after CMD exits" gone "$rdir"

"$sandbox" run --quiet --dir "$work/dir-false" -- false
rc=$?
check "run -- false exits non-zero" [ "$rc" != 0 ]
check "run -- false: everything gone" gone "$work/dir-false"

got=$(DM_DOWNSTREAM_PORT=1 DM_UPSTREAM7_PORT=1 "$sandbox" run --quiet --no-downstream -- \
	sh -c 'echo "${DM_DOWNSTREAM_PORT-unset} ${DM_UPSTREAM7_PORT-unset}"')
check "run --no-downstream drops inherited DM_DOWNSTREAM_*/DM_UPSTREAM<i>_*" \
	[ "$got" = "unset unset" ]

got=$("$sandbox" run --quiet --upstream-opt binlog_row_image=MINIMAL \
	--downstream-opt max_connections=77 -- sh -c '
	MYSQL_PWD=$DM_UPSTREAM_PASSWORD mariadb --no-defaults --protocol=tcp \
		-h "$DM_UPSTREAM_HOST" -P "$DM_UPSTREAM_PORT" -u root -N -B \
		-e "SELECT @@binlog_row_image" &&
	MYSQL_PWD=$DM_DOWNSTREAM_PASSWORD mariadb --no-defaults --protocol=tcp \
		-h "$DM_DOWNSTREAM_HOST" -P "$DM_DOWNSTREAM_PORT" -u root -N -B \
		-e "SELECT @@max_connections"' | tr '\n' ' ')
check "--upstream-opt/--downstream-opt reach the servers" [ "$got" = "MINIMAL 77 " ]

### failures and signals ######################################################

"$sandbox" run --dir "$work/dir-bad" --upstream-opt no_such_option=1 -- true \
	2>"$work/bad.err"
rc=$?
check "a server that cannot start fails the run" [ "$rc" != 0 ]
check "... and its error log tail is shown" grep -q "unknown variable 'no_such_option=1'" "$work/bad.err"
check "... and everything is gone" gone "$work/dir-bad"

"$sandbox" run --quiet --dir "$work/dir-a" -- sleep 600 &
pid=$!
if wait_for "$work/dir-a/env" 60; then
	port=$(sed -n 's/^export DM_UPSTREAM_PORT=//p' "$work/dir-a/env")
	# Sandbox b is told to try a's port first: it must move to another one.
	got=$(SANDBOX_TEST_FIRST_PORT=$port "$sandbox" run -- \
		sh -c 'echo "$DM_UPSTREAM_PORT"' 2>"$work/clash.err")
	check "a taken port is retried with another one" \
		eval '[ -n "$got" ] && [ "$got" != "$port" ]'
	check "... and says so" grep -q "port $port taken" "$work/clash.err"
else
	not_ok "sandbox a did not start"
fi
sleep_pid=$(pgrep -P "$pid" -x sleep)
t0=$(date +%s%3N)
kill -TERM "$pid"
wait "$pid"
rc=$?
check "SIGTERM: run exits 143 ($(($(date +%s%3N) - t0)) ms)" [ "$rc" = 143 ]
check "SIGTERM: servers stopped, directory removed" gone "$work/dir-a"
check "SIGTERM: CMD was terminated too" eval '[ -n "$sleep_pid" ] && ! kill -0 "$sleep_pid" 2>/dev/null'

"$sandbox" run --quiet --dir "$work/dir-k" -- sleep 30 &
pid=$!
if wait_for "$work/dir-k/env" 60; then
	sleep_pid=$(pgrep -P "$pid" -x sleep)
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null
	for ((i = 0; i < 40 * 10; i++)); do
		gone "$work/dir-k" && break
		sleep 0.1
	done
	check "SIGKILL: the watchdog stops the servers, removes the directory" \
		gone "$work/dir-k"
	# The orphaned CMD is ours to end.
	[ -n "$sleep_pid" ] && kill -TERM "$sleep_pid" 2>/dev/null
else
	not_ok "sandbox k did not start"
fi

# restart and kill under run, and what must still clean up after them.
"$sandbox" run --quiet --dir "$work/dir-r" -- sh -c '
	"$0" restart --quiet d && "$0" kill --quiet u1 &&
	MYSQL_PWD=$DM_UPSTREAM_PASSWORD mariadb --no-defaults --protocol=tcp \
		-h 127.0.0.1 -P "$DM_UPSTREAM_PORT" -u root -N -B -e "SELECT 1" &&
	MYSQL_PWD=$DM_DOWNSTREAM_PASSWORD mariadb --no-defaults --protocol=tcp \
		-h 127.0.0.1 -P "$DM_DOWNSTREAM_PORT" -u root -N -B -e "SELECT 1"
	' "$sandbox" >/dev/null 2>"$work/r.err"
rc=$?
check "run: CMD restarts d and kills u1, both answer again" [ "$rc" = 0 ]
check "... and the restarted servers are stopped at the end" gone "$work/dir-r"
check "... with nothing printed about the killed server" [ ! -s "$work/r.err" ]

"$sandbox" run --quiet --dir "$work/dir-rk" -- sh -c '
	"$0" kill --quiet d && "$0" restart --quiet u1 &&
	touch "$DM_SANDBOX_DIR/restarted" && exec sleep 30' "$sandbox" &
pid=$!
if wait_for "$work/dir-rk/restarted" 60; then
	sleep_pid=$(pgrep -P "$pid" -x sleep)
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null
	for ((i = 0; i < 40 * 10; i++)); do
		gone "$work/dir-rk" && break
		sleep 0.1
	done
	check "SIGKILL after restart/kill: the watchdog stops the new servers" \
		gone "$work/dir-rk"
	[ -n "$sleep_pid" ] && kill -TERM "$sleep_pid" 2>/dev/null
else
	not_ok "sandbox rk: restart/kill under run did not succeed"
fi

if "$sandbox" start --quiet --no-downstream --dir "$work/dir-rs" >/dev/null 2>&1; then
	DM_SANDBOX_DIR=$work/dir-rs "$sandbox" restart --quiet --down-for 2 u1 \
		2>/dev/null &
	rpid=$!
	sleep 0.5
	"$sandbox" stop --quiet "$work/dir-rs"
	rc=$?
	wait "$rpid"
	check "stop during a restart waits for it and stops the new server" \
		eval '[ "$rc" = 0 ] && gone "$work/dir-rs"'
else
	not_ok "sandbox rs did not start"
fi

### several at once ###########################################################

pids=()
for i in 1 2 3 4; do
	"$sandbox" run --quiet --upstreams 2 --dir "$work/dir-p$i" -- sh -c '
		MYSQL_PWD=$DM_UPSTREAM2_PASSWORD mariadb --no-defaults --protocol=tcp \
			-h 127.0.0.1 -P "$DM_UPSTREAM2_PORT" -u root -N -B -e "SELECT 1" &&
		MYSQL_PWD=$DM_DOWNSTREAM_PASSWORD mariadb --no-defaults --protocol=tcp \
			-h 127.0.0.1 -P "$DM_DOWNSTREAM_PORT" -u root -N -B -e "SELECT 1"
	' >/dev/null 2>"$work/p$i.err" &
	pids+=($!)
done
fails=0
for p in "${pids[@]}"; do
	wait "$p" || fails=$((fails + 1))
done
check "4 sandboxes (12 servers) side by side all work" [ "$fails" = 0 ]
check "... and are all gone" eval 'gone "$work/dir-p1" && gone "$work/dir-p2" && gone "$work/dir-p3" && gone "$work/dir-p4"'

### the C helpers #############################################################

cc=${CC:-cc}
if pkg-config --exists libmariadb cmocka 2>/dev/null && command -v "$cc" >/dev/null; then
	# shellcheck disable=SC2046
	if "$cc" -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror \
		$(pkg-config --cflags libmariadb cmocka) \
		"$here/selftest.c" "$here/sandbox.c" -o "$work/sandbox-selftest" \
		$(pkg-config --libs libmariadb cmocka) 2>"$work/cc.err"; then
		ok "selftest.c builds with -Wall -Wextra -Werror"
		env -u DM_SANDBOX_DIR -u DM_UPSTREAM_COUNT -u CI "$work/sandbox-selftest" \
			>/dev/null 2>&1
		check "without a sandbox the C test skips (77)" [ $? = 77 ]
		env -u DM_SANDBOX_DIR -u DM_UPSTREAM_COUNT CI=1 "$work/sandbox-selftest" \
			>/dev/null 2>&1
		check "without a sandbox in CI the C test fails (1)" [ $? = 1 ]
		check "selftest.c passes in a sandbox with 2 upstreams" \
			eval '"$sandbox" run --quiet --upstreams 2 -- "$work/sandbox-selftest" >"$work/c.out" 2>&1 || { cat "$work/c.out" >&2; false; }'
	else
		not_ok "selftest.c builds"
		cat "$work/cc.err" >&2
	fi
elif [ -n "${CI:-}" ]; then
	not_ok "selftest.c: cc, libmariadb or cmocka missing (scripts/bootstrap)"
else
	echo "# skipping selftest.c: cc, libmariadb or cmocka missing"
fi

check "no mariadbd left from any sandbox of this run" no_servers_in "$work"

echo "1..$n"
if [ "$failed" -gt 0 ]; then
	echo "# $failed of $n checks failed"
	exit 1
fi
echo "# all $n checks passed in ${SECONDS}s"
