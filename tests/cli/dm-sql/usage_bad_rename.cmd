restore --rename nodot=x.y
