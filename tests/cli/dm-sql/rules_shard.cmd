rules rules_task.yaml rules_shard.txt
