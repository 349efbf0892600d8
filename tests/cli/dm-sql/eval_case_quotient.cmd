eval 'CASE WHEN a > 0 THEN a / 3 ELSE 0 END' --table 'CREATE TABLE t (a INT)' --row '{"a": 7}'
