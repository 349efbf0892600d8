rules rules_task.yaml --source
