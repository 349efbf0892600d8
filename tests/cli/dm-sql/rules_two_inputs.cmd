rules rules_task.yaml a.txt b.txt
