restore no-such-file.sql
