classify --server-version 10.11.19 --default-db dmrt_main ../../data/ddl/others.sql
