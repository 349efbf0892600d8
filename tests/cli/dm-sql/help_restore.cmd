restore --help
