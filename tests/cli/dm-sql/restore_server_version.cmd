restore --server-version 10.11.6
