using Peakformer.Tests.Support;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;
using Peakformer.Engine.Kernels;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Threading;
using Peakformer.Progress;
using Peakformer.Learning.Training;
using Peakformer.Learning.Objectives;
using Xunit.Abstractions;

namespace Peakformer.Tests.Training;

/// <summary>
/// A fingerprint of training: the tiny window model trained for two epochs, its weights hashed (SHA-256 of the
/// float bits), for every supported kernel variant at one and two threads. The hashes are written to the test
/// output so a change meant to keep the bits (a refactor of the dispatch) can be checked before and after with
/// <c>dotnet test --filter WeightHashTests --logger "console;verbosity=detailed"</c>.
/// The hashes are pinned per tier, measured before a refactor and kept after it. Two tiers have two: Vector256 calls
/// TensorPrimitives, which sums in 512-bit lanes on an AVX-512 CPU and in 256-bit lanes with DOTNET_EnableAVX512=0;
/// Vector128 fuses multiply-adds only where the CPU has FMA (so DOTNET_EnableAVX2=0, which also turns FMA off, differs).
/// </summary>
[Collection(SharedPoolCollection.Name)]
public class WeightHashTests(ITestOutputHelper output)
{
    private static string Expected(KernelVariant variant) => variant switch
    {
        KernelVariant.Reference => "394F962B4D4210D6",
        KernelVariant.Vector128 => Fma.IsSupported || AdvSimd.IsSupported ? "AAEC9861DEEE5A92" : "20BDC95BC97B17BE",
        KernelVariant.Vector256 => Vector512.IsHardwareAccelerated ? "96105BDC1779C6AD" : "EEFC68C4D5ECB49B",
        KernelVariant.Vector512 => "DE69EDCB796959EB",
        _ => throw new ArgumentOutOfRangeException(nameof(variant)),
    };

    private static string TrainAndHash(KernelVariant variant, int threads)
    {
        var previousVariant = KernelSettings.Variant;
        int previousThreads = WorkerPool.Shared.Threads;
        KernelSettings.Variant = variant;
        WorkerPool.SetSharedThreads(threads);
        try
        {
            var model = TrainerTests.Tiny(1);
            var settings = new TrainingSettings { Epochs = 2, Batch = 64, LearningRate = 3e-3f, MinAuc = 0.5 };
            Trainer.Train(model, new BinaryObjective(1, settings.Threshold, settings.MinAuc), new TrainerTests.BumpWindows(512, 1),
                new TrainerTests.BumpWindows(128, 2), settings, NullProgress.Instance, _ => { });
            using var sha = SHA256.Create();
            foreach (var (_, parameter) in model.NamedParameters())
            {
                var bytes = MemoryMarshal.AsBytes(parameter.Value.Data).ToArray();
                sha.TransformBlock(bytes, 0, bytes.Length, null, 0);
            }
            var noise = new float[1000];
            new Rng(3).FillNormal(noise, 1f);
            var noiseBytes = MemoryMarshal.AsBytes(noise.AsSpan()).ToArray();
            sha.TransformFinalBlock(noiseBytes, 0, noiseBytes.Length);
            return Convert.ToHexString(sha.Hash!)[..16];
        }
        finally
        {
            WorkerPool.SetSharedThreads(previousThreads);
            KernelSettings.Variant = previousVariant;
        }
    }

    [Fact]
    public void Trained_weights_hash_the_same_at_one_and_two_threads_for_every_variant_and_as_pinned()
    {
        foreach (var variant in KernelSettings.Supported)
        {
            string one = TrainAndHash(variant, 1), two = TrainAndHash(variant, 2);
            output.WriteLine($"weights+noise {variant}: 1 thread {one}, 2 threads {two}");
            Assert.Equal(one, two);
            Assert.Equal(Expected(variant), one);
        }
    }
}
