// Kernel-variant tests switch a process-wide setting, and the kernels already use both cores: run serially.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
