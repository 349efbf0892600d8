restore --ansi-quotes
