restore --default-db app
