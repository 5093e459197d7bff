namespace Peakformer.Benchmarks;

/// <summary>
/// What <c>bench --suite finders</c> reads: a held-out set with truth (the quickstart's test.npz), the waveforms the
/// classical thresholds are tuned on (its train.npz; none: the published typical thresholds), and a checkpoint per
/// model kind. A kind without a checkpoint is timed on fresh weights of its default config, without an F1: its speed
/// does not depend on the weights, and nothing is trained, so the suite's time stays bounded.
/// </summary>
public sealed record FindersBenchmarkSettings
{
    public required string DataPath { get; init; }
    public string? TuneDataPath { get; init; }
    /// <summary>Checkpoints by kind name (window-transformer, ..., onestep-counter); a kind absent here runs untrained.</summary>
    public IReadOnlyDictionary<string, string> Checkpoints { get; init; } = new Dictionary<string, string>();
    /// <summary>Waveforms of the held-out set used (0: all).</summary>
    public int MaxWaveforms { get; init; } = 1000;
    /// <summary>Waveforms of the tuning set the classical thresholds are tuned on (as evaluate's default).</summary>
    public int TuneEvents { get; init; } = 300;
    public int ToleranceSamples { get; init; } = DriftChamber.Physics.DriftChamberConstants.ToleranceSamples;
    /// <summary>The finders to run, by name (deriv, d2 and the kinds' names); null for all.</summary>
    public IReadOnlyList<string>? Only { get; init; }
    /// <summary>The window models' pre-cut, in noise rms above baseline (<see cref="DriftChamber.Windows.PreCut"/>; 0: every candidate scored).</summary>
    public double PreCut { get; init; } = DriftChamber.Windows.PreCut.DefaultK;
    /// <summary>ONNX Runtime on every exported model beside Peakformer's lines.</summary>
    public bool OnnxRuntime { get; init; } = true;

    /// <summary>
    /// The files of a folder as the quickstart writes it: test.npz, train.npz and &lt;kind&gt;.safetensors for each
    /// registered drift-chamber kind present (the count transformer reads found peaks, not waveforms, and is left out).
    /// </summary>
    public static FindersBenchmarkSettings FromFolder(string folder, string? data, string? tuneData)
    {
        if (!Directory.Exists(folder)) throw new InputException($"--models: expected a folder of checkpoints (the quickstart's), found '{folder}' (no such folder)");
        var checkpoints = new Dictionary<string, string>();
        foreach (var kind in FindersBenchmark.ModelKinds)
        {
            string path = Path.Combine(folder, $"{kind.Name}.safetensors");
            if (File.Exists(path)) checkpoints[kind.Name] = path;
        }
        string train = Path.Combine(folder, "train.npz");
        return new FindersBenchmarkSettings
        {
            DataPath = data ?? Path.Combine(folder, "test.npz"),
            TuneDataPath = tuneData ?? (File.Exists(train) ? train : null),
            Checkpoints = checkpoints,
        };
    }

    public void Validate()
    {
        if (!File.Exists(DataPath)) throw new InputException($"--data: expected a waveform file with truth (the quickstart's test.npz), found '{DataPath}' (no such file)");
        if (TuneDataPath is not null && !File.Exists(TuneDataPath)) throw new InputException($"--tune-data: expected a waveform file with truth, found '{TuneDataPath}' (no such file)");
        Finite.Count("--max-waveforms", MaxWaveforms, 0, int.MaxValue);
        Finite.InRange("--pre-cut", PreCut, 0, 1000);
        Finite.Count("tune events", TuneEvents, 1, int.MaxValue);
        var names = new[] { "deriv", "d2" }.Concat(FindersBenchmark.ModelKinds.Select(k => k.Name)).ToList();
        foreach (string name in Only ?? [])
            if (!names.Contains(name)) throw new InputException($"--finders: expected names among {string.Join(", ", names)}, found '{name}'");
    }
}
