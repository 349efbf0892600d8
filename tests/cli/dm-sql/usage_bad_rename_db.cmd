restore --rename-db a.b=c
