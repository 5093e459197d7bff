using Peakformer.Data.Waveforms;
using Peakformer.DriftChamber.Identification;
using Peakformer.DriftChamber.Models;
using Peakformer.DriftChamber.Simulation;
using Peakformer.DriftChamber.Windows;
using Peakformer.Engine.Randomness;
using Peakformer.Evaluation;
using Peakformer.Learning.Models;
using Peakformer.Progress;
using Peakformer.Reports;
using Peakformer.DriftChamber.Training;
using Peakformer.Learning.Training;

namespace Peakformer.Workflows;

/// <summary>What the quickstart produced and where.</summary>
public sealed record QuickstartResult(string Folder, string Report, EvaluationResult Evaluation, string CountReport, CountEvaluationResult Counting,
    string PidReport, PidResult Pid, double Seconds);

/// <summary>
/// Simulates a training and a test set, trains the window transformer, the LSTM, the per-bin transformer and the
/// patch transformer (the fast one, for large samples), evaluates them beside DERIV and D2 (tuned on the training
/// set), then counts clusters with a count transformer on the window transformer's peaks against the baselines, and
/// separates pions from kaons with every counting method.
/// Three reports: peaks, counting, identification.
/// </summary>
public static class Quickstart
{
    private static readonly ModelKind[] Trained =
        [DriftChamberModels.WindowTransformer, DriftChamberModels.WindowLstm, DriftChamberModels.PerBinTransformer, DriftChamberModels.PatchTransformer,
            DriftChamberModels.CountTransformer];
    private static readonly string[] Checkpoints = Trained.Select(CheckpointFile).ToArray();

    /// <summary>The checkpoint file of a kind: its name.</summary>
    private static string CheckpointFile(ModelKind kind) => $"{kind.Name}.safetensors";

    /// <summary>Every file and folder the quickstart writes into its folder (checked before a run that replaces them).</summary>
    public static IReadOnlyList<string> Outputs { get; } =
        ["train.npz", "test.npz", .. Checkpoints.SelectMany(c => new[] { c, TrainState.PathFor(c) }), "report", "count-report", "pid-report"];

    public static QuickstartResult Run(QuickstartSettings s, IProgressReporter progress)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Directory.CreateDirectory(s.Folder);
        string Path_(string name) => Path.Combine(s.Folder, name);
        var beam = BeamSpec.Parse(s.Particles, s.Momentum);
        progress.Note($"quickstart: {s.TrainWaveforms:N0} training and {s.TestWaveforms:N0} test waveforms ({s.Particles} at {s.Momentum} GeV/c, fcc preset); " +
            $"{s.WindowEpochs}/{s.LstmEpochs}/{s.PerBinEpochs}/{s.PatchEpochs}/{s.CountEpochs} epochs for the window transformer/LSTM/per-bin transformer/patch transformer/count transformer; " +
            $"pion/kaon separation with {s.PidTracks} tracks per momentum. A full study uses more of everything.");
        Simulate(new SimulationRun(Presets.Get("fcc"), beam, s.TrainWaveforms, s.Seed), Path_("train.npz"), progress);
        Simulate(new SimulationRun(Presets.Get("fcc"), beam, s.TestWaveforms, s.Seed + 1), Path_("test.npz"), progress);

        var windows = new TrainingDataOptions { Windows = new WindowOptions { Balance = true, Seed = 42 } };
        var models = new List<string>();
        void Train(ModelKind kind, TrainingSettings settings, TrainingDataOptions data)
        {
            string file = Path_(CheckpointFile(kind));
            progress.Note($"training the {kind.Name} (checkpoint {file})");
            var model = DriftChamberModels.Create(kind.Name, null, new Rng(settings.Seed));
            var result = PeakTraining.Run(model, Path_("train.npz"), data, settings, file, null, false, progress);
            if (!result.Saved) throw new InputException($"{kind.Name}: validation AUC {result.BestMetric:F4} stayed below {settings.MinAuc}; no checkpoint");
            models.Add(file);
        }
        // Short runs: each kind's recipe with fewer epochs, a cosine schedule, and for the window transformer a rate ten
        // times the reference study's (which needs its 80 epochs).
        var window = DriftChamberModels.WindowTransformer;
        Train(window, window.Recipe with { Epochs = s.WindowEpochs, LearningRate = 3e-4f, Schedule = "cosine" }, windows);
        Train(DriftChamberModels.WindowLstm, DriftChamberModels.WindowLstm.Recipe with { Epochs = s.LstmEpochs, Schedule = "cosine" }, windows);
        Train(DriftChamberModels.PerBinTransformer, DriftChamberModels.PerBinTransformer.Recipe with { Epochs = s.PerBinEpochs, Schedule = "cosine" },
            new TrainingDataOptions { MaxWaveforms = s.PerBinWaveforms });
        var patch = DriftChamberModels.PatchTransformer;
        Train(patch, patch.Recipe with { Epochs = s.PatchEpochs }, new TrainingDataOptions());

        var evaluation = PeakEvaluation.Run(new EvaluationSettings
        {
            DataPath = Path_("test.npz"),
            ModelPaths = models,
            TuneDataPath = Path_("train.npz"),
        }, progress);
        string report = Path_("report");
        using (var data = WaveformDataset.Open(Path_("test.npz"))) EvaluationReport.Write(report, evaluation, data);

        var count = DriftChamberModels.CountTransformer;
        string windowModel = models[0], patchModel = models[3], counter = Path_(CheckpointFile(count));
        progress.Note($"training the {count.DisplayName} on the {window.DisplayName}'s peaks (checkpoint {counter})");
        CountTraining.Run(count, null, new CountTrainingOptions { DataPath = Path_("train.npz"), PeaksFrom = windowModel, TuneDataPath = Path_("train.npz") },
            count.Recipe with { Epochs = s.CountEpochs }, counter, false, progress);
        var counting = CountEvaluation.Run(new CountEvaluationSettings
        {
            DataPath = Path_("test.npz"),
            CountModels = [counter],
            PeakModels = [windowModel],
            TrainDataPath = Path_("train.npz"),
        }, progress);
        string countReport = Path_("count-report");
        CountReport.Write(countReport, counting);

        var pid = PidStudy.Run(new PidSettings
        {
            MomentaGeV = s.PidMomentaGeV,
            Tracks = s.PidTracks,
            Pool = s.PidPool,
            Methods = ["truth", "deriv", windowModel, counter, patchModel],
            TuneDataPath = Path_("train.npz"),
            Seed = s.Seed,
        }, progress);
        string pidReport = Path_("pid-report");
        PidReport.Write(pidReport, pid);
        return new QuickstartResult(s.Folder, Path.Combine(report, "index.html"), evaluation, Path.Combine(countReport, "index.html"), counting,
            Path.Combine(pidReport, "index.html"), pid, clock.Elapsed.TotalSeconds);
    }

    private static void Simulate(SimulationRun run, string path, IProgressReporter progress)
    {
        using var writer = new DatasetWriter(path, run);
        Simulator.Run(run, writer, progress);
        writer.Commit();
    }
}
