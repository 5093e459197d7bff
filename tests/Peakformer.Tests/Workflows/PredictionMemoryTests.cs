using Peakformer.Data.Waveforms;
using Peakformer.Progress;
using Peakformer.Tests.Cli;
using Peakformer.Workflows;

namespace Peakformer.Tests.Workflows;

/// <summary>
/// predict streams: the live heap while it runs (after a full collection at every progress step, so garbage does not
/// count) is the same for N and 4N waveforms, for the window model's peaks and for counts (count transformer,
/// one-step counter, DERIV clusterised). Not a timing test.
/// </summary>
public class PredictionMemoryTests(CountCommandTests.Trained t) : IClassFixture<CountCommandTests.Trained>
{
    /// <summary>Records the largest live heap seen at any progress step.</summary>
    private sealed class HeapWatch : IProgressReporter, IProgressTask
    {
        public long Peak { get; private set; }
        public IProgressTask Start(string description, long total, string unit) => this;
        public void Note(string message) { }
        public void Advance(long units, string? detail = null) => Peak = Math.Max(Peak, GC.GetTotalMemory(forceFullCollection: true));
        public void Dispose() { }
    }

    private string Simulate(int events)
    {
        string path = t.Folder.File($"memory-{events}.npz");
        if (!File.Exists(path))
        {
            var r = CliHarness.Run("simulate", "--events", events.ToString(), "--seed", "7", "--out", path);
            Assert.True(r.Exit == 0, r.Error);
        }
        return path;
    }

    private long Peak(Action<IProgressReporter> run)
    {
        var watch = new HeapWatch();
        run(watch);
        return watch.Peak;
    }

    [Fact]
    public void Peak_heap_does_not_grow_with_the_number_of_waveforms()
    {
        // 4N - N = 768 waveforms of 1200 float samples is 3.7 MB: holding the file, or every candidate window of it, shows.
        const long margin = 2 << 20;
        string small = Simulate(256), large = Simulate(1024);
        long PeaksOf(string data) => Peak(p => Prediction.FindPeaks(t.Window, data, WaveformReadOptions.None, t.Folder.File($"p-{Guid.NewGuid():N}.csv"), null, p));
        long CountsOf(string method, string data) => Peak(p => CountPrediction.Run(new CountPredictionSettings { Method = method, DataPath = data, Output = t.Folder.File($"c-{Guid.NewGuid():N}.csv") }, p));
        PeaksOf(small); // warm-up: first-use allocations (JIT, pools) are not growth
        long peaksSmall = PeaksOf(small), peaksLarge = PeaksOf(large);
        Assert.True(peaksLarge - peaksSmall < margin, $"window model: {peaksSmall / 1e6:F1} MB for 256 waveforms, {peaksLarge / 1e6:F1} MB for 1024");
        foreach (string method in new[] { t.Count, t.OneStep, "deriv" })
        {
            CountsOf(method, small);
            long countsSmall = CountsOf(method, small), countsLarge = CountsOf(method, large);
            Assert.True(countsLarge - countsSmall < margin, $"{method}: {countsSmall / 1e6:F1} MB for 256 waveforms, {countsLarge / 1e6:F1} MB for 1024");
        }
    }
}
