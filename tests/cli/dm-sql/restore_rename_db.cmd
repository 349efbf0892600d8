restore --rename-db a=b --rename a.keep=a.keep --rename '`x.y`.t=`p``q`.u'
