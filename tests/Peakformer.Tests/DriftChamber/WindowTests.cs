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
