/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the replication integration tests share: files, child processes
 * (dm-run, sysbench) that a failing test leaves behind and the teardown
 * ends, queries, and the row-by-row comparison of upstream and downstream.
 *
 * A test sets the kit_* variables in its setup: the check connections to
 * both servers (time_zone +00:00), its scratch directory and its sysbench
 * config file. Failures are cmocka failures.
 */
#ifndef LIBDM_TESTS_KIT_H
#define LIBDM_TESTS_KIT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <mysql.h>

extern MYSQL *kit_up, *kit_down;
extern const char *kit_dir;       /* scratch directory */
extern const char *kit_sb_cfg;    /* sysbench --config-file */
extern unsigned kit_hang_guard_s; /* a child still running by then is
                                   * killed and the test fails */

/* Runs sql on m; the test fails when it fails. */
#define EXEC(m, ...) assert_int_equal(sandbox_exec((m), __VA_ARGS__), 0)

const char *dm_run_path(void);     /* $DM_BUILD_DIR/bin/dm-run */
const char *dm_binlog_path(void);  /* $DM_BUILD_DIR/bin/dm-binlog */
void sleep_ms(unsigned ms);
char *slurp(const char *path);
int write_file(const char *path, const char *fmt, ...);
void path_in(char *out, size_t cap, const char *name);
char *value(MYSQL *m, const char *fmt, ...);
long long value_ll(MYSQL *m, const char *fmt, ...);
void master_pos(char *file, size_t cap, unsigned long long *pos);
void child_add(pid_t pid);
void child_gone(pid_t pid);
void children_kill(void);
pid_t spawn(char *const argv[], const char *out_path);
int wait_child(pid_t pid);
pid_t dmrun_start(const char *src, const char *task, const char *log,
                  const char *out, const char *o1, const char *o2,
                  const char *o3);
void show_file(const char *what, const char *path);
void dmrun(const char *src, const char *task, const char *log, const char *out,
           const char *o1, const char *o2, const char *o3);
void dmrun_term(pid_t pid, const char *log, const char *out);
pid_t sysbench_start(const char *db, const char *test, const char *mode,
                     int tables, int size, int secs, const char *out);
void sysbench(const char *db, const char *test, const char *mode, int tables,
              int size, int secs, const char *out);
char **rows_of(MYSQL *m, const char *sql, size_t *n);
void rows_free(char **v, size_t n);
size_t diff_lists(const char *what, char **a, size_t na, char **b, size_t nb);
void row_query(char *sql, size_t cap, const char *from, const char *dschema,
               const char *dtable);
size_t compare_rows(const char *up_from, const char *dschema,
                    const char *dtable);
char **list_of(MYSQL *m, size_t *n, const char *fmt, ...);
size_t compare_db(const char *db);
void assert_dbs_equal(const char *prefix);
void assert_file_lacks(const char *path, const char *needle);

#endif
