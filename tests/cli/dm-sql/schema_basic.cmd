schema --default-db d
