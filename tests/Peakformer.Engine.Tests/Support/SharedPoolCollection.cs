namespace Peakformer.Engine.Tests.Support;

/// <summary>
/// Tests that resize WorkerPool.Shared (SetSharedThreads disposes the pool other tests are using and changes how
/// kernels split work): they run alone, after the parallel tests, so no test sees the pool change under it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SharedPoolCollection
{
    public const string Name = "shared worker pool";
}
