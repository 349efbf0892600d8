rules rules_task.yaml --split
