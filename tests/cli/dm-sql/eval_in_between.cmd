eval 'CONCAT(a IN (1, 2, 3), a BETWEEN 2 AND 4, a NOT IN (2, NULL))' --table 'CREATE TABLE t (a INT, b VARCHAR(20), c DECIMAL(10,2), d DATE)' --row '{"a": 2}'
