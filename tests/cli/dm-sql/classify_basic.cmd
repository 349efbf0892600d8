classify --default-db app
