using Peakformer.Engine.Randomness;
using Peakformer.Learning.Models;
using Peakformer.Learning.Training;
using Peakformer.DriftChamber.Training;

namespace Peakformer.DriftChamber.Models;

/// <summary>
/// The drift-chamber model kinds, registered in <see cref="ModelKinds.All"/>: peak finders (a score per candidate
/// window or per bin) and cluster counters (on found peaks or on the waveform). Adding a kind is one record here
/// and its model class.
/// </summary>
public static class DriftChamberModels
{
    /// <summary>Tasks (the command line's --task).</summary>
    public const string WindowTask = "window", PerBinTask = "perbin", CountTask = "count";
    /// <summary>What a model reads.</summary>
    public const string Windows = "candidate windows", Waveform = "the waveform", FoundPeaks = "found peaks";

    public static readonly ModelKind WindowTransformer = new()
    {
        Name = "window-transformer", DisplayName = "window transformer", Task = WindowTask, Model = "transformer", Input = Windows,
        ExportOnnx = PeakOnnxExport.Export,
        ConfigType = typeof(WindowTransformerConfig), Build = ModelKind.Builder<WindowTransformerConfig>((c, rng) => new WindowTransformer(c, rng)),
        // The reference study's recipe (AdamW 3e-5, batch 256, 80 epochs).
        Recipe = new TrainingSettings(),
    };

    public static readonly ModelKind WindowLstm = new()
    {
        Name = "window-lstm", DisplayName = "LSTM", Task = WindowTask, Model = "lstm", Input = Windows,
        ExportOnnx = PeakOnnxExport.Export,
        ConfigType = typeof(WindowLstmConfig), Build = ModelKind.Builder<WindowLstmConfig>((c, rng) => new WindowLstm(c, rng)),
        Recipe = new TrainingSettings { LearningRate = 1e-3f },
    };

    public static readonly ModelKind PerBinTransformer = new()
    {
        Name = "perbin-transformer", DisplayName = "per-bin transformer", Task = PerBinTask, Model = "transformer", Input = Waveform,
        ExportOnnx = PeakOnnxExport.Export,
        ConfigType = typeof(PerBinTransformerConfig), Build = ModelKind.Builder<PerBinTransformerConfig>((c, rng) => new PerBinTransformer(c, rng)),
        // Whole waveforms: far fewer examples per epoch, and a batch that fits in memory.
        Recipe = new TrainingSettings { Epochs = 20, Batch = 8, LearningRate = 1e-3f },
    };

    public static readonly ModelKind PatchTransformer = new()
    {
        Name = "patch-transformer", DisplayName = "patch transformer", Task = PerBinTask, Model = "patch", Input = Waveform,
        ExportOnnx = PeakOnnxExport.Export,
        ConfigType = typeof(PatchTransformerConfig), Build = ModelKind.Builder<PatchTransformerConfig>((c, rng) => new PatchTransformer(c, rng)),
        // Whole waveforms at a 24th of the per-bin transformer's tokens: a larger batch and more epochs in the same time.
        Recipe = new TrainingSettings { Epochs = 40, Batch = 16, LearningRate = 1e-3f, Schedule = "cosine" },
    };

    public static readonly ModelKind CountTransformer = new()
    {
        Name = "count-transformer", DisplayName = "count transformer", Task = CountTask, Model = "transformer", Input = FoundPeaks,
        ExportOnnx = CountOnnxExport.Export,
        ConfigType = typeof(CountTransformerConfig), Build = ModelKind.Builder<CountTransformerConfig>((c, rng) => new CountTransformer(c, rng)),
        Recipe = TrainingSettings.ForCounting(oneStep: false),
    };

    public static readonly ModelKind OneStepCounter = new()
    {
        Name = "onestep-counter", DisplayName = "one-step counter", Task = CountTask, Model = "onestep", Input = Waveform,
        ExportOnnx = CountOnnxExport.Export,
        ConfigType = typeof(OneStepCounterConfig), Build = ModelKind.Builder<OneStepCounterConfig>((c, rng) => new OneStepCounter(c, rng)),
        Recipe = TrainingSettings.ForCounting(oneStep: true),
    };

    public static void Register(ModelRegistry registry)
    {
        foreach (var kind in new[] { WindowTransformer, WindowLstm, PerBinTransformer, PatchTransformer, CountTransformer, OneStepCounter }) registry.Register(kind);
    }

    /// <summary>Peak finders score windows or bins; counters count clusters.</summary>
    public static bool FindsPeaks(ModelKind kind) => kind.Task is WindowTask or PerBinTask;
    public static bool CountsClusters(ModelKind kind) => kind.Task == CountTask;

    public static IReadOnlyList<ModelKind> PeakKinds => ModelKinds.All.Kinds.Where(FindsPeaks).ToList();
    public static IReadOnlyList<ModelKind> CountKinds => ModelKinds.All.Kinds.Where(CountsClusters).ToList();

    /// <summary>A peak model of a registered kind; a count model or an unknown kind is an InputException naming <paramref name="where"/>.</summary>
    public static IPeakModel Create(string kind, string? configJson, Rng rng, string where = "config") =>
        (IPeakModel)Require(kind, FindsPeaks, PeakKinds, "a peak model", where).Create(configJson, rng, where);

    /// <summary>A cluster-count model of a registered kind; a peak model or an unknown kind is an InputException naming <paramref name="where"/>.</summary>
    public static ICountModel CreateCounter(string kind, string? configJson, Rng rng, string where = "config") =>
        (ICountModel)Require(kind, CountsClusters, CountKinds, "a cluster-count model", where).Create(configJson, rng, where);

    private static ModelKind Require(string name, Func<ModelKind, bool> wanted, IReadOnlyList<ModelKind> expected, string what, string where)
    {
        string names = string.Join(", ", expected.Select(k => k.Name));
        var kind = ModelKinds.All.Find(name) ?? throw new InputException($"{where}: unknown model '{name}' (expected one of {names})");
        return wanted(kind) ? kind : throw new InputException($"{where}: {name} is a {kind.Task} model; {what} (one of {names}) is needed here");
    }
}
