eval 'CONCAT_WS(",", UPPER('"'"'été'"'"'), LOWER('"'"'ÉTÉ'"'"'), UPPER('"'"'αβς'"'"'), UPPER('"'"'привет'"'"'), UCASE('"'"'ÿıſ'"'"'))'
