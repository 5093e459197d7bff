using Peakformer.Data;
using Peakformer.DriftChamber.Windows;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.DriftChamber;

public class WindowTests
{
    [Fact]
    public void Candidates_are_bins_whose_rise_in_exceeds_the_rise_out()
    {
        //                  0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15 16 17 18 19 20
        float[] w = [0, 0, 0, 0, 0, 1, 3, 4, 4, 2, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
        var candidates = new List<int>();
        CandidateFinder.Find(w, 5, 9, candidates);
        // t = 6: rise in 2 > rise out 1; t = 7: 1 > 0; t = 8: 0 > -2; t = 9: -2 > -1 fails; t = 10: -1 > 0 fails;
        // t = 5 fails (1 > 2); bins closer than 5 / 9 to the edges (t < 5, t > 11) are skipped.
        Assert.Equal([6, 7, 8], candidates);
    }

    [Fact]
    public void Windows_are_mean_subtracted_and_labelled_from_truth_within_the_tolerance()
    {
        var w = Enumerable.Range(0, 40).Select(i => i == 20 ? 1f : 0f).ToArray();
        var set = new WindowSet(15);
        WindowExtractor.FromWaveform(3, w, [22, 35], new WindowOptions { ToleranceSamples = 2 }, set, []);
        int row = set.Time.IndexOf(20);
        Assert.True(row >= 0);
        Assert.Equal(1, set.Label[row]);                 // peak at 22 is within 2 samples of 20
        Assert.Equal(1f / 15, set.Shift[row], 6);
        Assert.Equal(1f - 1f / 15, set.Row(row)[5], 6);   // the candidate sits at position 5 of t-5..t+9
        Assert.Equal(3, set.Event[row]);
        var unknown = new WindowSet(15);
        WindowExtractor.FromWaveform(0, w, null, new WindowOptions(), unknown, []);
        Assert.All(unknown.Label, l => Assert.Equal(-1, l));
    }

    [Fact]
    public void The_cutter_subtracts_the_window_mean_computed_by_hand()
    {
        // t = 2 with t-2..t+3: samples 1, 2, 4, 8, 16, 32, mean 63 / 6 = 10.5 (all exact in float32).
        float[] w = [1, 2, 4, 8, 16, 32, 64];
        var window = new float[6];
        float mean = WindowCutter.Cut(w, 2, new WindowOptions { Before = 2, After = 3 }, window);
        Assert.Equal(10.5f, mean);
        Assert.Equal([-9.5f, -8.5f, -6.5f, -2.5f, 5.5f, 21.5f], window);
    }

    [Fact]
    public void The_cutter_takes_windows_that_touch_either_edge_and_refuses_those_that_cross_it()
    {
        float[] w = Enumerable.Range(0, 20).Select(i => (float)i).ToArray();
        var o = new WindowOptions(); // t-5..t+9
        var window = new float[15];
        Assert.Equal(7f, WindowCutter.Cut(w, 5, o, window));     // samples 0..14
        Assert.Equal(-7f, window[0]);
        Assert.Equal(12f, WindowCutter.Cut(w, 10, o, window));   // samples 5..19, the last one
        Assert.Equal(7f, window[14]);
        Assert.Throws<ArgumentOutOfRangeException>(() => WindowCutter.Cut(w, 4, o, window));
        Assert.Throws<ArgumentOutOfRangeException>(() => WindowCutter.Cut(w, 11, o, window));
    }

    [Fact]
    public void Candidates_of_a_block_are_those_of_each_waveform()
    {
        float[] one = [0, 0, 0, 0, 0, 1, 3, 4, 4, 2, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
        float[] block = [.. one, .. new float[21], .. one];
        var candidates = CandidateFinder.Find(block, 3, 21, new WindowOptions());
        Assert.Equal([[6, 7, 8], [], [6, 7, 8]], candidates);
    }

    [Fact]
    public void Csv_round_trips_and_names_malformed_fields()
    {
        using var folder = new TempFolder();
        var set = new WindowSet(15);
        set.Add(7, 40, 1, 0.25f, 1, Enumerable.Range(0, 15).Select(i => i * 0.1f - 0.7f).ToArray());
        set.Add(8, 41, 0, -0.5f, 1, new float[15]);
        string path = folder.File("w.csv");
        WindowCsv.Write(path, [set], 15);
        Assert.StartsWith("EvtNo,ID,Shift,Sigma,Time,Time0,Time1,", File.ReadLines(path).First());
        var back = WindowCsv.Read(path);
        Assert.Equal(set.Event, back.Event);
        Assert.Equal(set.Label, back.Label);
        Assert.Equal(set.Samples, back.Samples);

        var lines = File.ReadAllLines(path);
        lines[2] = lines[2].Replace(",41,", ",4x1,");
        File.WriteAllLines(path, lines);
        var e = Assert.Throws<InputException>(() => WindowCsv.Read(path));
        Assert.Equal($"{path}:3: Time: expected an integer, found '4x1'", e.Message);

        lines[2] = lines[2].Replace(",4x1,", ",41,") + ",9";
        File.WriteAllLines(path, lines);
        e = Assert.Throws<InputException>(() => WindowCsv.Read(path));
        Assert.Equal($"{path}:3: expected 20 fields, found 21", e.Message);

        File.WriteAllText(path, "EvtNo,ID,Time\n1,0,3\n");
        e = Assert.Throws<InputException>(() => WindowCsv.Read(path));
        Assert.Contains($"{path}:1: expected header EvtNo,ID,Shift,Sigma,Time,Time0", e.Message);
    }

    [Fact]
    public void The_published_sample_rows_parse()
    {
        // First row of the reference study's table ("Input Data to the Transformer"), commas restored.
        using var folder = new TempFolder();
        string path = folder.File("published.csv");
        File.WriteAllText(path, WindowCsv.Header(15) + "\n" +
            "0.,0.,-0.0136,1.,5.,-0.03623,-0.03183,-0.00252,0.03567,0.0156,0.03481,-0.03922,-1.171e-05,-0.007266,0.03652,0.03184,-0.01925,0.000953,0.009978,-0.03505\n");
        var set = WindowCsv.Read(path);
        Assert.Equal(1, set.Count);
        Assert.Equal(5, set.Time[0]);
        Assert.Equal(-1.171e-05f, set.Row(0)[7]);
    }
}
