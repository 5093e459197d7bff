using Peakformer.Data;
using Peakformer.DriftChamber.Models;
using Peakformer.DriftChamber.Windows;
using Peakformer.Engine.Randomness;
using Peakformer.Tests.Support;
using Peakformer.DriftChamber.Training;
using Peakformer.Learning.Training;

namespace Peakformer.Tests.DriftChamber.Training;

public class TrainingDataTests
{
    [Fact]
    public void A_window_csv_is_split_by_waveform_so_no_waveform_is_on_both_sides()
    {
        using var folder = new TempFolder();
        var model = new WindowTransformer(new WindowTransformerConfig { Model = 16, Heads = 2, Layers = 1, FeedForward = 16, HeadHidden = 16 }, new Rng(1));
        int w = model.WindowLength;
        // 60 waveforms of 2 to 12 windows each; the first sample of every window holds its EvtNo, to find it again.
        var set = new WindowSet(w);
        var rng = new Rng(9);
        var window = new float[w];
        for (int evt = 0; evt < 60; evt++)
            for (int k = 0, n = 2 + rng.NextInt(11); k < n; k++)
            {
                window[0] = evt;
                set.Add(evt, 10 * k, (sbyte)(k % 2), 0, 1, window);
            }
        string path = folder.File("windows.csv");
        WindowCsv.Write(path, [set], w);

        var (train, validation, description) = TrainingData.Prepare(model, path, new TrainingDataOptions(), new TrainingSettings());
        var trainEvents = Events(train, w);
        var validationEvents = Events(validation, w);
        Assert.Empty(trainEvents.Intersect(validationEvents));
        Assert.Equal(Enumerable.Range(0, 60), trainEvents.Union(validationEvents).Order());
        Assert.Equal(set.Count, train.Count + validation.Count);
        Assert.InRange(validation.Count, 0.4 * set.Count - 6, 0.4 * set.Count + 6);
        Assert.StartsWith($"{path}: {trainEvents.Count} + {validationEvents.Count} waveforms (EvtNo) give", description);
    }

    private static HashSet<int> Events(IExamples examples, int w)
    {
        var inputs = new float[examples.Count * w];
        examples.Fill(Enumerable.Range(0, examples.Count).ToArray(), inputs, new float[examples.Count]);
        return Enumerable.Range(0, examples.Count).Select(i => (int)inputs[i * w]).ToHashSet();
    }
}
