using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Peakformer.Benchmarks;
using Peakformer.Engine.Kernels;
using Peakformer.Engine.Threading;
using Peakformer.Tests.Support;
using Xunit.Abstractions;

namespace Peakformer.Tests.Spectroscopy;

/// <summary>
/// The spectrum CNN's training steps (the bench's: 1000 points, blocks of 16, 32, 64 channels, batch 64, so every
/// convolution runs in several chunks) give bit-identical weights and batch-norm statistics at one and two threads.
/// The hash is written out so a change meant to keep the bits can be compared before and after; on the Vector512 tier
/// it is pinned to the value measured before the convolution and batch norm shared their chunks and channels among the
/// threads (commit ee1eaa0), so those changes are held to the one-thread bits of before.
/// </summary>
[Collection(SharedPoolCollection.Name)]
public class SpectrumCnnThreadsTests(ITestOutputHelper output)
{
    private static string TrainAndHash(int threads)
    {
        int previous = WorkerPool.Shared.Threads;
        WorkerPool.SetSharedThreads(threads);
        try
        {
            var (model, harness, _) = SpectrumCnnHarness.Create();
            for (int step = 0; step < 3; step++) harness.TrainStep();
            using var sha = SHA256.Create();
            foreach (var (_, value) in model.NamedState())
            {
                var bytes = MemoryMarshal.AsBytes(value.Data.ToArray().AsSpan()).ToArray();
                sha.TransformBlock(bytes, 0, bytes.Length, null, 0);
            }
            sha.TransformFinalBlock([], 0, 0);
            return Convert.ToHexString(sha.Hash!)[..16];
        }
        finally { WorkerPool.SetSharedThreads(previous); }
    }

    [Fact]
    public void Three_training_steps_give_the_same_weights_and_statistics_at_one_and_two_threads()
    {
        string one = TrainAndHash(1), two = TrainAndHash(2);
        output.WriteLine($"spectrum CNN, 3 steps: 1 thread {one}, 2 threads {two}");
        Assert.Equal(one, two);
        if (KernelSettings.Variant == KernelVariant.Vector512) Assert.Equal("A6ECEE495CD99B1F", one);
    }
}
