eval 'CONCAT(b, CHAR_LENGTH(b), '"'"':'"'"', LENGTH(b))' --table 'CREATE TABLE t (a INT, b VARCHAR(20), c DECIMAL(10,2), d DATE)' --row '{"b": "\u00e9t\u00e9 \ud83d\ude00"}'
