using Peakformer.Engine.Threading;

namespace Peakformer.Engine.Tests.Support;

/// <summary>
/// Allocation counts, not timings, for steady-state steps. At one thread the pool runs every part on the calling
/// thread, so that thread's count is the step's whole count. The runtime itself may allocate on this thread now and
/// then (tiered recompilation, on-stack replacement) in a busy test run; a step that allocates allocates in every
/// window, so one clean window out of several is the test. Peakformer.Tests compiles this same file (linked).
/// </summary>
public static class Allocations
{
    private const int Windows = 5;
    private const int StepsPerWindow = 5;

    /// <summary>Runs <paramref name="step"/> once to warm up, then asserts some window of steps allocates nothing.
    /// Callers belong to their project's shared-pool collection: the shared pool is set to one thread meanwhile.</summary>
    public static void AssertSteadyStepAllocatesNothing(Action step, string what)
    {
        int threads = WorkerPool.Shared.Threads;
        WorkerPool.SetSharedThreads(1);
        try
        {
            step();
            var windows = new List<long>();
            for (int window = 0; window < Windows && (windows.Count == 0 || windows[^1] != 0); window++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < StepsPerWindow; i++) step();
                windows.Add(GC.GetAllocatedBytesForCurrentThread() - before);
            }
            Assert.True(windows[^1] == 0, $"bytes allocated by {StepsPerWindow} steady {what}, window by window: {string.Join(", ", windows)}");
        }
        finally
        {
            WorkerPool.SetSharedThreads(threads);
        }
    }
}
