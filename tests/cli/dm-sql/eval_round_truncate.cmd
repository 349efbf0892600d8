eval 'CONCAT_WS('"'"' '"'"', ROUND(c, 1), TRUNCATE(c, 1), ROUND(c, -1), FLOOR(c), CEIL(c))' --table 'CREATE TABLE t (a INT, b VARCHAR(20), c DECIMAL(10,2), d DATE)' --row '{"c": "-14.56"}'
