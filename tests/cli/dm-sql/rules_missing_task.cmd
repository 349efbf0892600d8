rules no-such-task.yaml
