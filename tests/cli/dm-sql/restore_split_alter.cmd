restore --split-alter --default-db d
