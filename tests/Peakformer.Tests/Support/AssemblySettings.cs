// Several tests set the process-wide worker pool or kernel variant, and most use both cores: run serially.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
