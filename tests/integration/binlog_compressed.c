/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The live binlog test of binlog_tool.c again, with log_bin_compress=ON:
 * MariaDB's compressed QUERY and ROWS events (types 165-171), written by
 * the real server, decoded from the files and from the live stream, and
 * printed like mariadb-binlog prints them.
 *
 * Run: tests/sandbox/sandbox run -- build/release/tests/integ-binlog_compressed
 */
#define BINLOG_TOOL_COMPRESSED 1
#include "binlog_tool.c"
