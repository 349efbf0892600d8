/* SPDX-License-Identifier: Apache-2.0 */
/* The read-only tree views the schema tracker walks. */
#include "sql_test.h"

#include <string.h>

static void test_tree__create_table_columns(void **state)
{
	dm_sql_stmt *st = sqlt_parse(
		"CREATE TABLE IF NOT EXISTS s.t ("
		" id BIGINT(20) UNSIGNED ZEROFILL NOT NULL AUTO_INCREMENT COMMENT 'the id',"
		" name VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL DEFAULT 'x',"
		" price DECIMAL(10,2) DEFAULT -1.5,"
		" kind ENUM('a','b''c') DEFAULT NULL,"
		" ts TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE NOW(3),"
		" g INT AS (id + 1) STORED INVISIBLE,"
		" j JSON CHECK (JSON_VALID(j)),"
		" e INT DEFAULT (id * 2),"
		" u INT UNIQUE, p INT KEY REFERENCES o (x) ON DELETE CASCADE,"
		" c INT COLUMN_FORMAT FIXED)", NULL);
	const dm_sql_create_table *ct = dm_sql_stmt_create_table(st);
	const dm_sql_column *c;

	(void)state;
	assert_non_null(ct);
	assert_string_equal(ct->name.schema, "s");
	assert_string_equal(ct->name.table, "t");
	assert_true(ct->if_not_exists);
	assert_false(ct->temporary);
	assert_int_equal(ct->ncolumns, 11);
	assert_int_equal(ct->nelements, 11);
	assert_int_equal(ct->nindexes, 0);

	c = ct->columns[0];
	assert_string_equal(c->name, "id");
	assert_string_equal(c->type->name, "BIGINT");
	assert_int_equal(c->type->length, 20);
	assert_int_equal(c->type->scale, -1);
	assert_true(c->type->is_unsigned);
	assert_true(c->type->zerofill);
	assert_int_equal(c->nullability, DM_SQL_NULLABILITY_NOT_NULL);
	assert_true(c->auto_increment);
	assert_true(c->has_comment);
	assert_int_equal(c->comment.len, 6);
	assert_string_equal(c->comment.ptr, "the id");
	assert_int_equal(c->default_kind, DM_SQL_DEFAULT_NONE);
	assert_null(c->default_text);

	c = ct->columns[1];
	assert_string_equal(c->type->name, "VARCHAR");
	assert_int_equal(c->type->length, 64);
	assert_string_equal(c->type->charset, "utf8mb4");
	assert_string_equal(c->type->collation, "utf8mb4_bin");
	assert_int_equal(c->nullability, DM_SQL_NULLABILITY_NULL);
	assert_int_equal(c->default_kind, DM_SQL_DEFAULT_LITERAL);
	assert_string_equal(c->default_text, "'x'");
	assert_int_equal(c->default_expr->kind, DM_SQL_EXPR_STRING);

	c = ct->columns[2];
	assert_int_equal(c->type->length, 10);
	assert_int_equal(c->type->scale, 2);
	assert_int_equal(c->nullability, DM_SQL_NULLABILITY_UNSPECIFIED);
	assert_int_equal(c->default_kind, DM_SQL_DEFAULT_LITERAL);
	assert_string_equal(c->default_text, "-1.5");

	c = ct->columns[3];
	assert_string_equal(c->type->name, "ENUM");
	assert_int_equal(c->type->nvalues, 2);
	assert_string_equal(c->type->values[1].ptr, "b'c");
	assert_int_equal(c->default_kind, DM_SQL_DEFAULT_NULL);
	assert_string_equal(c->default_text, "NULL");

	c = ct->columns[4];
	assert_int_equal(c->type->length, 3);
	assert_int_equal(c->default_kind, DM_SQL_DEFAULT_CURRENT_TIMESTAMP);
	assert_int_equal(c->default_fsp, 3);
	assert_string_equal(c->default_text, "CURRENT_TIMESTAMP(3)");
	assert_true(c->on_update);
	assert_int_equal(c->on_update_fsp, 3);
	assert_string_equal(c->on_update_text, "NOW(3)");

	c = ct->columns[5];
	assert_int_equal(c->generated, DM_SQL_GENERATED_STORED);
	assert_string_equal(c->generated_text, "`id` + 1");
	assert_true(c->invisible);

	c = ct->columns[6];
	assert_string_equal(c->type->name, "JSON");
	assert_string_equal(c->check_text, "JSON_VALID(`j`)");

	c = ct->columns[7];
	assert_int_equal(c->default_kind, DM_SQL_DEFAULT_EXPR);
	assert_string_equal(c->default_text, "`id` * 2");

	assert_true(ct->columns[8]->unique_key);
	c = ct->columns[9];
	assert_true(c->primary_key);
	assert_non_null(c->references);
	assert_string_equal(c->references->table.table, "o");
	assert_int_equal(c->references->on_delete, DM_SQL_FK_ACTION_CASCADE);
	assert_int_equal(c->references->on_update, DM_SQL_FK_ACTION_NONE);

	c = ct->columns[10];
	assert_int_equal(c->nextra, 1);
	assert_string_equal(c->extra[0], "COLUMN_FORMAT FIXED");
	dm_sql_stmt_free(st);
}

static void test_tree__create_table_indexes_and_options(void **state)
{
	dm_sql_stmt *st = sqlt_parse(
		"CREATE TEMPORARY TABLE t (a INT, b TEXT, c POINT NOT NULL,"
		" PRIMARY KEY (a),"
		" CONSTRAINT uq UNIQUE KEY ub (b(10) DESC) USING HASH COMMENT 'u' IGNORED,"
		" INDEX ia (a, (a + 1)) KEY_BLOCK_SIZE=4,"
		" FULLTEXT KEY fb (b) WITH PARSER ngram, SPATIAL KEY sc (c),"
		" CONSTRAINT fk FOREIGN KEY (a) REFERENCES s.o (x) MATCH SIMPLE ON UPDATE SET NULL,"
		" CONSTRAINT ck CHECK (a > 0))"
		" ENGINE=InnoDB DEFAULT CHARSET=UTF8MB4 COMMENT='it''s' AUTO_INCREMENT=7"
		" /*!50100 PARTITION BY HASH (a) PARTITIONS 2 */", NULL);
	const dm_sql_create_table *ct = dm_sql_stmt_create_table(st);
	const dm_sql_index *ix;

	(void)state;
	assert_true(ct->temporary);
	assert_int_equal(ct->ncolumns, 3);
	assert_int_equal(ct->nindexes, 7);
	assert_int_equal(ct->nelements, 10);
	assert_int_equal(ct->elements[3]->kind, DM_SQL_ELEMENT_INDEX);
	assert_ptr_equal(ct->elements[3]->index, ct->indexes[0]);
	assert_ptr_equal(ct->elements[2]->column, ct->columns[2]);

	ix = ct->indexes[0];
	assert_int_equal(ix->kind, DM_SQL_INDEX_PRIMARY);
	assert_null(ix->name);
	assert_int_equal(ix->nparts, 1);
	assert_string_equal(ix->parts[0]->column, "a");
	assert_int_equal(ix->parts[0]->length, -1);

	ix = ct->indexes[1];
	assert_int_equal(ix->kind, DM_SQL_INDEX_UNIQUE);
	assert_string_equal(ix->constraint, "uq");
	assert_string_equal(ix->name, "ub");
	assert_int_equal(ix->parts[0]->length, 10);
	assert_int_equal(ix->parts[0]->order, DM_SQL_ORDER_DESC);
	assert_string_equal(ix->index_type, "HASH");
	assert_true(ix->has_comment);
	assert_string_equal(ix->comment.ptr, "u");
	assert_int_equal(ix->visibility, DM_SQL_VISIBILITY_INVISIBLE);

	ix = ct->indexes[2];
	assert_int_equal(ix->kind, DM_SQL_INDEX_PLAIN);
	assert_int_equal(ix->nparts, 2);
	assert_null(ix->parts[1]->column);
	assert_string_equal(ix->parts[1]->expr_text, "`a` + 1");
	assert_int_equal(ix->key_block_size, 4);

	ix = ct->indexes[3];
	assert_int_equal(ix->kind, DM_SQL_INDEX_FULLTEXT);
	assert_string_equal(ix->parser, "ngram");
	assert_int_equal(ct->indexes[4]->kind, DM_SQL_INDEX_SPATIAL);

	ix = ct->indexes[5];
	assert_int_equal(ix->kind, DM_SQL_INDEX_FOREIGN);
	assert_string_equal(ix->constraint, "fk");
	assert_string_equal(ix->references->table.schema, "s");
	assert_string_equal(ix->references->columns[0]->column, "x");
	assert_int_equal(ix->references->match, DM_SQL_FK_MATCH_SIMPLE);
	assert_int_equal(ix->references->on_update, DM_SQL_FK_ACTION_SET_NULL);

	ix = ct->indexes[6];
	assert_int_equal(ix->kind, DM_SQL_INDEX_CHECK);
	assert_string_equal(ix->check_text, "`a` > 0");

	assert_int_equal(ct->noptions, 4);
	assert_string_equal(ct->options[0]->name, "ENGINE");
	assert_string_equal(ct->options[0]->value, "InnoDB");
	assert_false(ct->options[0]->is_string);
	assert_string_equal(ct->options[1]->name, "DEFAULT CHARSET");
	assert_string_equal(ct->options[1]->value, "utf8mb4");
	assert_string_equal(ct->options[2]->name, "COMMENT");
	assert_true(ct->options[2]->is_string);
	assert_string_equal(ct->options[2]->str.ptr, "it's");
	assert_string_equal(ct->options[2]->value, "'it''s'");
	assert_string_equal(ct->options[3]->name, "AUTO_INCREMENT");
	assert_string_equal(ct->options[3]->value, "7");
	assert_string_equal(ct->partition, "PARTITION BY HASH (a) PARTITIONS 2");
	assert_null(ct->like);
	assert_null(ct->select);
	dm_sql_stmt_free(st);
}

static void test_tree__alter_table_specs(void **state)
{
	dm_sql_stmt *st = sqlt_parse(
		"ALTER ONLINE IGNORE TABLE IF EXISTS s.t WAIT 5"
		" ADD COLUMN IF NOT EXISTS a INT AFTER b,"
		" CHANGE COLUMN c d VARCHAR(3) FIRST,"
		" ALTER COLUMN e SET DEFAULT 'z',"
		" RENAME INDEX i TO j,"
		" RENAME TO s.u,"
		" CONVERT TO CHARACTER SET latin1 COLLATE latin1_bin,"
		" ENGINE=MyISAM COMMENT 'x',"
		" ALGORITHM=inplace,"
		" ADD CONSTRAINT PRIMARY KEY (a),"
		" DROP FOREIGN KEY IF EXISTS fk", NULL);
	const dm_sql_alter_table *a = dm_sql_stmt_alter_table(st);
	const dm_sql_alter_spec *s;

	(void)state;
	assert_non_null(a);
	assert_true(a->online);
	assert_true(a->ignore);
	assert_true(a->if_exists);
	assert_string_equal(a->wait, "WAIT 5");
	assert_string_equal(a->name.schema, "s");
	assert_int_equal(a->nspecs, 10);

	s = a->specs[0];
	assert_int_equal(s->kind, DM_SQL_ALTER_ADD_COLUMN);
	assert_true(s->if_not_exists);
	assert_int_equal(s->ncolumns, 1);
	assert_string_equal(s->columns[0]->name, "a");
	assert_int_equal(s->position, DM_SQL_POSITION_AFTER);
	assert_string_equal(s->after, "b");

	s = a->specs[1];
	assert_int_equal(s->kind, DM_SQL_ALTER_CHANGE_COLUMN);
	assert_string_equal(s->name, "c");
	assert_string_equal(s->columns[0]->name, "d");
	assert_int_equal(s->position, DM_SQL_POSITION_FIRST);

	s = a->specs[2];
	assert_int_equal(s->kind, DM_SQL_ALTER_SET_DEFAULT);
	assert_string_equal(s->name, "e");
	assert_int_equal(s->default_kind, DM_SQL_DEFAULT_LITERAL);
	assert_string_equal(s->default_text, "'z'");

	s = a->specs[3];
	assert_int_equal(s->kind, DM_SQL_ALTER_RENAME_INDEX);
	assert_string_equal(s->name, "i");
	assert_string_equal(s->new_name, "j");

	s = a->specs[4];
	assert_int_equal(s->kind, DM_SQL_ALTER_RENAME_TABLE);
	assert_string_equal(s->new_table.schema, "s");
	assert_string_equal(s->new_table.table, "u");

	s = a->specs[5];
	assert_int_equal(s->kind, DM_SQL_ALTER_CONVERT_CHARSET);
	assert_string_equal(s->charset, "latin1");
	assert_string_equal(s->collation, "latin1_bin");

	s = a->specs[6];
	assert_int_equal(s->kind, DM_SQL_ALTER_OPTIONS);
	assert_int_equal(s->noptions, 2);
	assert_string_equal(s->options[0]->value, "MyISAM");
	assert_string_equal(s->options[1]->str.ptr, "x");

	s = a->specs[7];
	assert_int_equal(s->kind, DM_SQL_ALTER_ALGORITHM);
	assert_string_equal(s->text, "INPLACE");

	s = a->specs[8];
	assert_int_equal(s->kind, DM_SQL_ALTER_ADD_INDEX);
	assert_int_equal(s->index->kind, DM_SQL_INDEX_PRIMARY);
	assert_null(s->index->constraint);

	s = a->specs[9];
	assert_int_equal(s->kind, DM_SQL_ALTER_DROP_FOREIGN_KEY);
	assert_true(s->if_exists);
	assert_string_equal(s->name, "fk");
	dm_sql_stmt_free(st);
}

static void test_tree__other_statement_views(void **state)
{
	dm_sql_stmt *st;
	const dm_sql_rename_table *r;
	const dm_sql_drop_table *d;
	const dm_sql_create_index *ci;
	const dm_sql_drop_index *di;
	const dm_sql_database *db;

	(void)state;
	st = sqlt_parse("RENAME TABLE a TO b, c.d TO e", NULL);
	r = dm_sql_stmt_rename_table(st);
	assert_int_equal(r->npairs, 2);
	assert_string_equal(r->pairs[1].from.schema, "c");
	assert_string_equal(r->pairs[1].to.table, "e");
	assert_null(dm_sql_stmt_create_table(st));
	assert_null(dm_sql_stmt_alter_table(st));
	dm_sql_stmt_free(st);

	st = sqlt_parse("DROP TEMPORARY TABLE IF EXISTS a, b CASCADE", NULL);
	d = dm_sql_stmt_drop_table(st);
	assert_true(d->temporary);
	assert_true(d->if_exists);
	assert_int_equal(d->ntables, 2);
	assert_string_equal(d->behavior, "CASCADE");
	dm_sql_stmt_free(st);

	st = sqlt_parse("TRUNCATE s.t", NULL);
	d = dm_sql_stmt_drop_table(st);
	assert_int_equal(d->ntables, 1);
	assert_string_equal(d->tables[0].schema, "s");
	dm_sql_stmt_free(st);

	st = sqlt_parse("CREATE UNIQUE INDEX i ON t (a) LOCK=NONE", NULL);
	ci = dm_sql_stmt_create_index(st);
	assert_int_equal(ci->index->kind, DM_SQL_INDEX_UNIQUE);
	assert_string_equal(ci->index->name, "i");
	assert_string_equal(ci->lock, "NONE");
	assert_null(ci->algorithm);
	dm_sql_stmt_free(st);

	st = sqlt_parse("DROP INDEX IF EXISTS i ON t", NULL);
	di = dm_sql_stmt_drop_index(st);
	assert_true(di->if_exists);
	assert_string_equal(di->name, "i");
	assert_string_equal(di->table.table, "t");
	dm_sql_stmt_free(st);

	st = sqlt_parse("CREATE DATABASE IF NOT EXISTS x CHARACTER SET Latin1 COMMENT 'c'", NULL);
	db = dm_sql_stmt_database(st);
	assert_string_equal(db->name, "x");
	assert_true(db->if_not_exists);
	assert_int_equal(db->noptions, 2);
	assert_string_equal(db->options[0]->name, "CHARACTER SET");
	assert_string_equal(db->options[0]->value, "latin1");
	assert_string_equal(db->options[1]->name, "COMMENT");
	assert_true(db->options[1]->is_string);
	dm_sql_stmt_free(st);

	st = sqlt_parse("INSERT INTO t VALUES (1)", NULL);
	assert_null(dm_sql_stmt_create_table(st));
	assert_null(dm_sql_stmt_database(st));
	assert_null(dm_sql_stmt_expr(st));
	assert_null(dm_sql_stmt_unsupported_reason(st));
	dm_sql_stmt_free(st);

	/* NULL is tolerated everywhere */
	assert_int_equal(dm_sql_stmt_kind(NULL), DM_SQL_OTHER);
	assert_false(dm_sql_stmt_is_ddl(NULL));
	assert_int_equal(dm_sql_stmt_tables(NULL, NULL), 0);
	assert_null(dm_sql_stmt_create_table(NULL));
	dm_sql_stmt_free(NULL);
}

static void test_tree__dump_is_stable(void **state)
{
	dm_sql_stmt *st = sqlt_parse("CREATE TABLE s.t (a INT NOT NULL DEFAULT 1 COMMENT 'c', "
				     "KEY k (a)) ENGINE=InnoDB", NULL);
	dm_buf b = DM_BUF_INIT;

	(void)state;
	assert_int_equal(dm_sql_stmt_dump(&b, st), 0);
	assert_string_equal(b.data,
			    "create table\n"
			    "  tables `s`.`t`\n"
			    "  name `s`.`t`\n"
			    "  column `a` INT not-null default=literal:(int 1) comment='c'\n"
			    "  index plain name=`k` parts=(`a`)\n"
			    "  option ENGINE=InnoDB\n");
	dm_buf_free(&b);
	dm_sql_stmt_free(st);
	assert_int_equal(dm_sql_stmt_dump(NULL, NULL), DM_E_INVALID_ARGUMENT);
}

int sql_test_tree_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tree__create_table_columns),
		cmocka_unit_test(test_tree__create_table_indexes_and_options),
		cmocka_unit_test(test_tree__alter_table_specs),
		cmocka_unit_test(test_tree__other_statement_views),
		cmocka_unit_test(test_tree__dump_is_stable),
	};

	return cmocka_run_group_tests_name("sql_tree", tests, NULL, NULL);
}
