namespace Peakformer.Workflows;

/// <summary>
/// The quickstart: a small but complete study that runs in about seven minutes on two cores. A full study uses more
/// waveforms and epochs (the reference trains up to 80 epochs at lr 3e-5); the README gives those commands.
/// </summary>
public sealed record QuickstartSettings
{
    public string Folder { get; init; } = "quickstart";
    public int TrainWaveforms { get; init; } = 3000;
    public int TestWaveforms { get; init; } = 1000;
    public string Particles { get; init; } = "pion:1,kaon:1";
    public string Momentum { get; init; } = "2:20";
    public int WindowEpochs { get; init; } = 5;
    public int LstmEpochs { get; init; } = 5;
    public int PerBinEpochs { get; init; } = 6;
    public int PerBinWaveforms { get; init; } = 1500;
    /// <summary>The patch transformer's recipe (40 epochs) on every training waveform: it trains in about two minutes.</summary>
    public int PatchEpochs { get; init; } = 40;
    /// <summary>Count transformer on the window transformer's peaks (the reference allows 100 with early stopping).</summary>
    public int CountEpochs { get; init; } = 40;
    public IReadOnlyList<double> PidMomentaGeV { get; init; } = [2, 5, 10, 20];
    public int PidTracks { get; init; } = 500;
    public int PidPool { get; init; } = 2000;
    public ulong Seed { get; init; } = 1;
}
