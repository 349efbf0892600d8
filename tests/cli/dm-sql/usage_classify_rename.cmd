classify --rename-db a=b
