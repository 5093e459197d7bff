using Peakformer.Benchmarks;
using Peakformer.Progress;
using Peakformer.Tests.Cli;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Benchmarks;

/// <summary>
/// The finders suite's structure on tiny trials (not its speed): a line per finder and runtime with a positive rate, an
/// F1 for every trained peak finder, none for an untrained model or the counter.
/// </summary>
[Collection(SharedPoolCollection.Name)]
public class FindersBenchmarkTests(PeakCommandTests.Trained t) : IClassFixture<PeakCommandTests.Trained>
{
    [Fact]
    public void Every_finder_has_a_rate_and_the_trained_ones_an_f1_on_the_same_waveforms()
    {
        using var folder = new TempFolder();
        File.Copy(t.Test, folder.File("test.npz"));
        File.Copy(t.Train, folder.File("train.npz"));
        File.Copy(t.Window, folder.File("window-transformer.safetensors"));
        File.Copy(t.PerBin, folder.File("perbin-transformer.safetensors"));
        var finders = FindersBenchmarkSettings.FromFolder(folder.Path, null, null) with { MaxWaveforms = 12, TuneEvents = 20 };
        Assert.Equal(["perbin-transformer", "window-transformer"], finders.Checkpoints.Keys.Order());

        var report = EngineBenchmark.Empty();
        FindersBenchmark.Run(new EngineBenchmarkSettings { Threads = [1], Rounds = 1, TrialSeconds = 0.01 }, finders, report, new NullProgress());

        string[] names = ["DERIV", "D2", "window transformer", "LSTM", "per-bin transformer", "patch transformer", "one-step counter"];
        Assert.Equal(names, report.Finders.Select(f => f.Finder).Distinct());
        foreach (var f in report.Finders)
        {
            Assert.True(f.WaveformsPerSecond > 0, $"{f.Finder} ({f.Runtime}): rate {f.WaveformsPerSecond}");
            bool trained = f.Finder is "DERIV" or "D2" or "window transformer" or "per-bin transformer";
            Assert.True(trained == f.F1 is not null, $"{f.Finder} ({f.Runtime}): F1 {f.F1}");
            // No checkpoint in the folder: timed untrained, and said so.
            Assert.Equal(f.Finder is "LSTM" or "patch transformer" or "one-step counter", f.Note is not null);
            Assert.InRange(f.F1 ?? 0, 0, 1);
        }
        // Every model has an ONNX Runtime line beside Peakformer's, with the same F1 (the same peaks within float rounding).
        foreach (var name in names[2..])
            Assert.Equal(["Peakformer", "ONNX Runtime"], report.Finders.Where(f => f.Finder == name).Select(f => f.Runtime));
        foreach (var name in new[] { "window transformer", "per-bin transformer" })
        {
            var pair = report.Finders.Where(f => f.Finder == name).ToList();
            Assert.Equal(pair[0].F1!.Value, pair[1].F1!.Value, 2);
        }
    }
}
