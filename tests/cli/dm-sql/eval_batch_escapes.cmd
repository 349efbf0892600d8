eval 'CONCAT(b, '"'"'\t'"'"', '"'"'x\\y'"'"')' --table 'CREATE TABLE t (a INT, b VARCHAR(20), c DECIMAL(10,2), d DATE)' --row '{"b": "line1\nline2"}'
