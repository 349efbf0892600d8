rules rules_task.yaml no-such-file.txt
