using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Peakformer.Benchmarks;
using Peakformer.Cli.Output;
using Peakformer.Engine.Files;
using Peakformer.Engine.Kernels;
using Spectre.Console;

namespace Peakformer.Cli.Commands;

/// <summary><c>peakformer bench</c>: throughput beside its peers, measured in the same run (run it in Release).</summary>
public static class BenchCommand
{
    public static Command Create(Terminal terminal)
    {
        var suite = new Option<string>("--suite") { Description = "What to measure: engine (matmul, window transformer, ViT), vit (the Vision Transformer lines only), models (every other exported drift-chamber kind beside ONNX Runtime, in windows/s or waveforms/s), finders (every peak finder in waveforms/s beside its F1 on a held-out set; needs --models or --data), spectra (the spectrum CNN beside PyTorch and ONNX Runtime, in spectra/s), simulate (waveform simulator) or all.", DefaultValueFactory = _ => "engine" };
        var threadCounts = new Option<string>("--thread-counts") { Description = "Comma-separated thread counts to measure.", DefaultValueFactory = _ => "1,2" };
        var rounds = new Option<int>("--rounds") { Description = "Interleaved rounds per figure (the median is reported).", DefaultValueFactory = _ => 3 };
        var seconds = new Option<double>("--seconds") { Description = "Seconds per trial.", DefaultValueFactory = _ => 2.0 };
        var noPeers = new Option<bool>("--no-peers") { Description = "Skip the Python peers (NumPy/OpenBLAS, PyTorch), and ONNX Runtime in the finders suite." };
        var python = new Option<string>("--python") { Description = "Python with NumPy and PyTorch for the peers.", DefaultValueFactory = _ => "/usr/bin/python3" };
        var json = new Option<string?>("--json") { Description = "Also write every figure to this JSON file." };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing --json file." };
        var kernels = new Option<string>("--kernels")
        {
            Description = "Kernel tier: auto (the best, or PEAKFORMER_KERNELS), vector512, vector256, vector128, reference, or all (the engine suite once per tier, each in a child process, compared in one table).",
            DefaultValueFactory = _ => "auto",
        };
        var models = new Option<string?>("--models") { Description = "Finders suite: a folder as the quickstart writes it (test.npz, train.npz, <kind>.safetensors); a kind without a checkpoint is timed untrained, without an F1." };
        var data = new Option<string?>("--data") { Description = "Finders suite: the held-out waveforms with truth (default: test.npz of --models)." };
        var tuneData = new Option<string?>("--tune-data") { Description = "Finders suite: waveforms with truth the DERIV/D2 thresholds are tuned on (default: train.npz of --models; none: typical thresholds)." };
        var maxWaveforms = new Option<int>("--max-waveforms") { Description = "Finders suite: use at most this many held-out waveforms (0: all).", DefaultValueFactory = _ => 1000 };
        var only = new Option<string?>("--finders") { Description = "Finders suite: only these, comma-separated (deriv, d2, window-transformer, window-lstm, perbin-transformer, patch-transformer, onestep-counter; default: all)." };
        var preCut = new Option<double>("--pre-cut") { Description = "Finders suite: window models score only candidates at least this many noise rms above the waveform's baseline (0: every candidate).", DefaultValueFactory = _ => Peakformer.DriftChamber.Windows.PreCut.DefaultK };
        var command = new Command("bench", "Measure matrix-multiply GFLOP/s and model samples/s beside OpenBLAS and PyTorch on this machine.")
        {
            suite, threadCounts, rounds, seconds, noPeers, python, json, force, kernels, models, data, tuneData, maxWaveforms, only, preCut,
        };
        command.SetAction(parse => CliApp.Guard(terminal, parse, () =>
        {
            string? jsonPath = parse.GetValue(json) is { } j ? OutputPath.Check(j, parse.GetValue(force), "--json") : null;
            string which = parse.GetValue(suite)!;
            if (which is not ("engine" or "vit" or "models" or "finders" or "spectra" or "simulate" or "all"))
                throw new InputException($"--suite: expected engine, vit, models, finders, spectra, simulate or all, found {which}");
            FindersBenchmarkSettings? finders = null;
            if (which == "finders")
            {
                string? folder = parse.GetValue(models), dataPath = parse.GetValue(data);
                if (folder is null && dataPath is null) throw new InputException("--suite finders: expected --models FOLDER (the quickstart's) or --data FILE, found neither");
                finders = (folder is null
                    ? new FindersBenchmarkSettings { DataPath = dataPath!, TuneDataPath = parse.GetValue(tuneData) }
                    : FindersBenchmarkSettings.FromFolder(folder, dataPath, parse.GetValue(tuneData))) with
                {
                    MaxWaveforms = parse.GetValue(maxWaveforms),
                    OnnxRuntime = !parse.GetValue(noPeers),
                    PreCut = parse.GetValue(preCut),
                    Only = parse.GetValue(only) is { } names ? names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => n.ToLowerInvariant()).ToList() : null,
                };
                finders.Validate();
            }
            var counts = ParseCounts(parse.GetValue(threadCounts)!);
            Finite.Count("--rounds", parse.GetValue(rounds), 1, 1000);
            Finite.Positive("--seconds", parse.GetValue(seconds), 3600);
            string tier = parse.GetValue(kernels)!.Trim().ToLowerInvariant();
            if (tier == "all" && which != "engine") throw new InputException($"--kernels all: compares the engine suite only, found --suite {which}");
            if (tier is not ("all" or "auto")) KernelSettings.Variant = ParseTier(tier);
#if DEBUG
            terminal.Error.WriteLine("warning: this is a Debug build; figures are not representative (use dotnet run -c Release).");
#endif
            string? root = RepositoryLayout.Root();
            var settings = new EngineBenchmarkSettings
            {
                Threads = counts,
                Rounds = parse.GetValue(rounds),
                TrialSeconds = parse.GetValue(seconds),
                Peers = !parse.GetValue(noPeers),
                Python = parse.GetValue(python)!,
                RepositoryRoot = root ?? ".",
                SharedBench = RepositoryLayout.SharedBench(root),
                VisionOnly = which == "vit",
            };
            if (tier == "all")
            {
                var all = EngineBenchmark.Empty();
                string childJson = Path.Combine(Path.GetTempPath(), $"peakformer-bench-{Environment.ProcessId}.json");
                var child = TierComparison.Self();
                child.AddRange(["bench", "--suite", "engine", "--kernels", "auto", "--no-peers", "--thread-counts", parse.GetValue(threadCounts)!,
                    "--rounds", Inv(parse.GetValue(rounds)), "--seconds", Inv(parse.GetValue(seconds)), "--json", childJson, "--force"]);
                try { all.Tiers.AddRange(TierComparison.Run(child, childJson, terminal.Line)); }
                finally { File.Delete(childJson); }
                PrintTiers(terminal, all);
                if (jsonPath is not null) WriteJson(terminal, jsonPath, all);
                return 0;
            }
            var report = terminal.WithProgress(progress =>
            {
                var r = which is "simulate" or "models" or "finders" or "spectra" ? EngineBenchmark.Empty() : EngineBenchmark.Run(settings, progress);
                if (finders is not null) FindersBenchmark.Run(settings, finders, r, progress);
                if (which is "models" or "all") ModelsBenchmark.Run(settings, r, progress);
                if (which is "spectra" or "all") SpectraBenchmark.Run(settings, r, progress);
                if (which is "simulate" or "all") SimulationBenchmark.Run(settings, r, progress);
                return r;
            });
            Print(terminal, report);
            if (jsonPath is not null) WriteJson(terminal, jsonPath, report);
            return 0;
        }));
        return command;
    }

    private static string Inv(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);

    private static KernelVariant ParseTier(string text)
    {
        KernelVariant tier;
        try { tier = KernelSettings.Parse(text); }
        catch (ArgumentException) { throw new InputException($"--kernels: expected auto, vector512, vector256, vector128, reference or all, found '{text}'"); }
        if (!KernelSettings.IsSupported(tier))
            throw new InputException($"--kernels: this CPU supports at most {KernelSettings.Name(KernelSettings.Best)}, found '{text}'");
        return tier;
    }

    private static void WriteJson(Terminal terminal, string jsonPath, EngineBenchmarkReport report)
    {
        var options = new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
        AtomicFile.Write(jsonPath, stream => JsonSerializer.Serialize(stream, report, options));
        terminal.Line($"wrote {jsonPath}");
    }

    /// <summary>One row per tier and thread count; each tier's training rate also as a share of the widest tier's.</summary>
    private static void PrintTiers(Terminal terminal, EngineBenchmarkReport report)
    {
        terminal.Line($"{report.Machine.Cpu}, {report.Machine.LogicalCores} logical cores, {report.Machine.Runtime}");
        var table = new Table().AddColumns("kernels", "produced by", "threads", "matmul 1024^3 GFLOP/s", "train samples/s", "infer samples/s", "bytes/step", "train vs widest");
        foreach (var f in report.Tiers)
        {
            var widest = report.Tiers.First(t => t.Threads == f.Threads);
            table.AddRow(f.Kernels, f.ProducedBy, Inv(f.Threads), f.MatMulGFlops?.ToString("F1", CultureInfo.InvariantCulture) ?? "-",
                f.TrainSamplesPerSecond.ToString("N0", CultureInfo.InvariantCulture), f.InferSamplesPerSecond.ToString("N0", CultureInfo.InvariantCulture),
                f.AllocatedBytesPerStep.ToString("N0", CultureInfo.InvariantCulture), $"{f.TrainSamplesPerSecond / widest.TrainSamplesPerSecond:P0}");
        }
        terminal.Console.Write(table);
    }

    private static int[] ParseCounts(string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var counts = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out counts[i]) || counts[i] < 1)
                throw new InputException($"--thread-counts: expected positive integers separated by commas, found '{parts[i]}'");
        if (counts.Length == 0) throw new InputException("--thread-counts: expected at least one thread count, found none");
        return counts;
    }

    private static string Ratio(double? r) => r is { } v ? $"{v:F2}x" : "-";

    /// <summary>The finders suite: one row per finder, runtime and thread count, speed beside F1.</summary>
    private static void PrintFinders(Terminal terminal, IReadOnlyList<FinderFigure> figures)
    {
        if (figures.Count == 0) return;
        var table = new Table().AddColumns("finder", "runtime", "threads", "batch", "waveforms/s", "F1", "efficiency", "purity", "bytes/batch");
        foreach (var f in figures)
            table.AddRow(f.Finder, f.Runtime, Inv(f.Threads), Inv(f.Batch), f.WaveformsPerSecond.ToString("N0", CultureInfo.InvariantCulture),
                F3(f.F1), F3(f.Efficiency), F3(f.Purity), f.BytesPerBatch.ToString("N0", CultureInfo.InvariantCulture));
        terminal.Console.Write(table);
        foreach (var note in figures.Where(f => f.Note is not null).Select(f => $"{f.Finder}: {f.Note}").Distinct()) terminal.Line(note);

        static string F3(double? x) => x?.ToString("F3", CultureInfo.InvariantCulture) ?? "-";
    }

    private static void Print(Terminal terminal, EngineBenchmarkReport report)
    {
        terminal.Line($"{report.Machine.Cpu}, {report.Machine.LogicalCores} logical cores, {report.Machine.Runtime}");
        terminal.Line($"kernels: {report.KernelVariant}");
        if (report.PeerEnvironment.Count > 0)
            terminal.Line("peer environment: " + string.Join(" ", report.PeerEnvironment.Select(kv => $"{kv.Key}={kv.Value}")));
        var mm = new Table().AddColumns("matmul M x N x K", "threads", "Peakformer GFLOP/s", "OpenBLAS GFLOP/s", "ratio");
        foreach (var f in report.MatMul)
            mm.AddRow($"{f.M} x {f.N} x {f.K}", f.Threads.ToString(CultureInfo.InvariantCulture), f.GFlops.ToString("F1", CultureInfo.InvariantCulture),
                f.PeerGFlops?.ToString("F1", CultureInfo.InvariantCulture) ?? "-", Ratio(f.Ratio));
        if (report.MatMul.Count > 0) terminal.Console.Write(mm);
        var models = new Table().AddColumns("model", "threads", "train samples/s", "PyTorch train", "ratio", "infer samples/s", "PyTorch infer", "ratio", "ONNX Runtime infer", "ratio", "bytes/step (first, steady, later)");
        foreach (var f in report.Models.Where(f => f.Unit is null))
            models.AddRow(f.Model, f.Threads.ToString(CultureInfo.InvariantCulture), f.TrainSamplesPerSecond.ToString("N0", CultureInfo.InvariantCulture),
                f.PeerTrainSamplesPerSecond?.ToString("N0", CultureInfo.InvariantCulture) ?? "-", Ratio(f.TrainRatio),
                f.InferSamplesPerSecond.ToString("N0", CultureInfo.InvariantCulture),
                f.PeerInferSamplesPerSecond?.ToString("N0", CultureInfo.InvariantCulture) ?? "-", Ratio(f.InferRatio),
                f.OnnxRuntimeInferSamplesPerSecond?.ToString("N0", CultureInfo.InvariantCulture) ?? "-", Ratio(f.OnnxRuntimeInferRatio),
                $"{f.FirstStepAllocatedBytes:N0}, {f.AllocatedBytesPerStep:N0}, {f.AllocatedBytesPerStepLater:N0}");
        if (report.Models.Any(f => f.Unit is null)) terminal.Console.Write(models);
        PrintKinds(terminal, report.Models.Where(f => f.Unit is not null).ToList());
        PrintFinders(terminal, report.Finders);
        if (report.Simulation.Count == 0) return;
        var sim = new Table().AddColumns("simulator preset", "threads", "events", "waveforms/s (in memory)", "waveforms/s (to .npz)");
        foreach (var f in report.Simulation)
            sim.AddRow(f.Preset, f.Threads.ToString(CultureInfo.InvariantCulture), f.Events.ToString("N0", CultureInfo.InvariantCulture),
                f.WaveformsPerSecond.ToString("N0", CultureInfo.InvariantCulture), f.WaveformsPerSecondToFile.ToString("N0", CultureInfo.InvariantCulture));
        terminal.Console.Write(sim);
    }

    /// <summary>The models suite: each kind's rates in its own unit, ONNX Runtime beside; "-" where a kind has no PyTorch peer.</summary>
    private static void PrintKinds(Terminal terminal, IReadOnlyList<ModelFigure> figures)
    {
        if (figures.Count == 0) return;
        string N(double? v) => v?.ToString("N0", CultureInfo.InvariantCulture) ?? "-";
        var table = new Table().AddColumns("model", "rates in", "batch", "threads", "train", "PyTorch train", "ratio", "infer", "PyTorch infer", "ratio",
            "ONNX Runtime infer", "ratio", "bytes/step (first, steady, later)");
        foreach (var f in figures)
            table.AddRow(f.Model, $"{f.Unit}/s", Inv(f.Batch), Inv(f.Threads), N(f.TrainSamplesPerSecond), N(f.PeerTrainSamplesPerSecond), Ratio(f.TrainRatio),
                N(f.InferSamplesPerSecond), N(f.PeerInferSamplesPerSecond), Ratio(f.InferRatio), N(f.OnnxRuntimeInferSamplesPerSecond), Ratio(f.OnnxRuntimeInferRatio),
                $"{f.FirstStepAllocatedBytes:N0}, {f.AllocatedBytesPerStep:N0}, {f.AllocatedBytesPerStepLater:N0}");
        terminal.Console.Write(table);
    }
}
