restore a.sql b.sql
