/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for expression parsing and evaluation (dm_sql_eval(3)).
 * The input is parsed as one expression; when it parses it is evaluated
 * over a fixed row of typed columns. Nothing may crash, leak or hang;
 * errors are fine.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dm/err.h"
#include "dm/sql.h"
#include "dm/util.h"
#include "dm/value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const dm_sql_data_type t_int = { "INT", -1, -1, false, false,
						false, NULL, NULL, NULL, 0 };
	static const dm_sql_data_type t_dec = { "DECIMAL", 10, 2, false, false,
						false, NULL, NULL, NULL, 0 };
	static const dm_sql_data_type t_str = { "VARCHAR", 20, -1, false, false,
						false, NULL, NULL, NULL, 0 };
	static const dm_sql_data_type t_date = { "DATE", -1, -1, false, false,
						 false, NULL, NULL, NULL, 0 };
	dm_value v[5];
	dm_sql_eval_column cols[5];
	dm_sql_eval_row row = { cols, 5 };
	dm_sql_eval_opts eo = DM_SQL_EVAL_OPTS_INIT;
	dm_sql_parse_opts po = DM_SQL_PARSE_OPTS_INIT;
	dm_sql_stmt *st = NULL;
	dm_buf scratch = DM_BUF_INIT, text = DM_BUF_INIT;
	dm_error *e = NULL;
	dm_value out;

	memset(v, 0, sizeof(v));
	v[0].kind = DM_VALUE_INT;
	v[0].v.i = -42;
	v[1].kind = DM_VALUE_DECIMAL;
	v[1].v.str.ptr = "123.45";
	v[1].v.str.len = 6;
	v[2].kind = DM_VALUE_STRING;
	v[2].v.str.ptr = "Hello";
	v[2].v.str.len = 5;
	v[3].kind = DM_VALUE_DATE;
	v[3].v.time.year = 2024;
	v[3].v.time.month = 2;
	v[3].v.time.day = 29;
	v[4].kind = DM_VALUE_NULL;
	cols[0] = (dm_sql_eval_column){ "i", &v[0], &t_int };
	cols[1] = (dm_sql_eval_column){ "d", &v[1], &t_dec };
	cols[2] = (dm_sql_eval_column){ "s", &v[2], &t_str };
	cols[3] = (dm_sql_eval_column){ "dt", &v[3], &t_date };
	cols[4] = (dm_sql_eval_column){ "n", &v[4], &t_int };
	eo.now_sec = 1700000000;
	if (dm_sql_parse_expr(&st, (const char *)data, size, &po, &e) == 0) {
		if (dm_sql_eval(&out, &scratch, dm_sql_stmt_expr(st), &row, &eo,
				&e) == 0)
			dm_value_format_text(&text, &out, NULL);
	}
	dm_error_free(e);
	dm_sql_stmt_free(st);
	dm_buf_free(&scratch);
	dm_buf_free(&text);
	return 0;
}
