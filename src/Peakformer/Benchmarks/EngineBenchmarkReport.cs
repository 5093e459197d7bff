namespace Peakformer.Benchmarks;

/// <summary>One matrix-multiply figure: C[M, N] = A[M, K] B[K, N].</summary>
public sealed record MatMulFigure(int M, int N, int K, int Threads, double GFlops, double? PeerGFlops)
{
    public double? Ratio => PeerGFlops is > 0 ? GFlops / PeerGFlops : null;
}

/// <summary>
/// Training and inference throughput of one model at one thread count, with the peer's. <paramref name="Unit"/> names
/// what a sample is ("windows", "waveforms") for the models suite's lines; null on the engine suite's (samples/s).
/// </summary>
public sealed record ModelFigure(string Model, int Threads, int Batch, double TrainSamplesPerSecond, double InferSamplesPerSecond,
    double? PeerTrainSamplesPerSecond, double? PeerInferSamplesPerSecond,
    long FirstStepAllocatedBytes, double AllocatedBytesPerStep, double AllocatedBytesPerStepLater, double? OnnxRuntimeInferSamplesPerSecond = null,
    string? Unit = null)
{
    public double? OnnxRuntimeInferRatio => OnnxRuntimeInferSamplesPerSecond is > 0 ? InferSamplesPerSecond / OnnxRuntimeInferSamplesPerSecond : null;
    public double? TrainRatio => PeerTrainSamplesPerSecond is > 0 ? TrainSamplesPerSecond / PeerTrainSamplesPerSecond : null;
    public double? InferRatio => PeerInferSamplesPerSecond is > 0 ? InferSamplesPerSecond / PeerInferSamplesPerSecond : null;
}

/// <summary>Everything one <c>peakformer bench</c> run measured, written as JSON with --json.</summary>
public sealed record EngineBenchmarkReport
{
    public required MachineInfo Machine { get; init; }
    /// <summary>The tier that ran, with its instructions, e.g. "vector512 (AVX-512)".</summary>
    public required string KernelVariant { get; init; }
    /// <summary>Filled by <c>--kernels all</c>: every tier's figures, each from its own child process.</summary>
    public List<TierFigure> Tiers { get; } = [];
    public IReadOnlyDictionary<string, string> PeerEnvironment { get; init; } = new Dictionary<string, string>();
    public string? PeerNote { get; init; }
    public List<MatMulFigure> MatMul { get; } = [];
    public List<ModelFigure> Models { get; } = [];
    public List<SimulationFigure> Simulation { get; } = [];
    public List<FinderFigure> Finders { get; } = [];
}

/// <summary>Simulator throughput: waveforms with truth per second, generated into memory and written to .npz.</summary>
public sealed record SimulationFigure(string Preset, int Threads, int Events, double WaveformsPerSecond, double WaveformsPerSecondToFile);

/// <summary>The machine a report was measured on.</summary>
public sealed record MachineInfo(string Cpu, int LogicalCores, string Runtime, string Os, DateTimeOffset When)
{
    public static MachineInfo Current()
    {
        string cpu = "unknown";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException) { }
        return new MachineInfo(cpu, Environment.ProcessorCount, System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            System.Runtime.InteropServices.RuntimeInformation.OSDescription, DateTimeOffset.UtcNow);
    }
}
