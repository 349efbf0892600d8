restore --rename
