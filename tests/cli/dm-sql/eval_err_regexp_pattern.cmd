eval 'b REGEXP '"'"'('"'"'' --table 'CREATE TABLE t (a INT, b VARCHAR(20), c DECIMAL(10,2), d DATE, j JSON)' --row '{"b": "hello"}'
