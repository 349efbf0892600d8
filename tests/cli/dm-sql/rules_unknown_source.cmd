rules rules_task.yaml --source mysql-02
