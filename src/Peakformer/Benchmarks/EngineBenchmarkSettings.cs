namespace Peakformer.Benchmarks;

/// <summary>What <see cref="EngineBenchmark"/> measures and against which peers.</summary>
public sealed record EngineBenchmarkSettings
{
    public IReadOnlyList<int> Threads { get; init; } = [1, 2];
    /// <summary>Rounds per figure; each round is one trial of ours and one of each peer, interleaved.</summary>
    public int Rounds { get; init; } = 3;
    public double TrialSeconds { get; init; } = 2.0;
    /// <summary>Training steps and inference batches run before a model line's first trial (two thirds as many measure the allocations).</summary>
    public int WarmupSteps { get; init; } = 30;
    public bool Peers { get; init; } = true;
    /// <summary>Only the Vision Transformer lines (<c>--suite vit</c>): no matmul, no window transformer.</summary>
    public bool VisionOnly { get; init; }
    public string Python { get; init; } = "/usr/bin/python3";
    /// <summary>The repository root (for bench/peers) and the shared bench folder (torch_peer.py), when found.</summary>
    public string RepositoryRoot { get; init; } = ".";
    public string? SharedBench { get; init; }

    public static readonly IReadOnlyList<(int M, int N, int K)> MatMulShapes =
        [(1024, 1024, 1024), (3840, 64, 64), (3840, 64, 192), (3840, 96, 64), (3840, 64, 96)];
}
