eval 1 --table 'DROP TABLE t' --row '{}'
