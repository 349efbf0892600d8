eval '"b" || '"'"'!'"'"'' --table 'CREATE TABLE t (a INT, b VARCHAR(20), c DECIMAL(10,2), d DATE)' --row '{"b": "x"}' --ansi-quotes
