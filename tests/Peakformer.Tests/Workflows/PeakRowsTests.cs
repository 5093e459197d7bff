using Peakformer.Workflows;

namespace Peakformer.Tests.Workflows;

/// <summary>predict's peak rows: the exact text, written without a string per row.</summary>
public class PeakRowsTests
{
    private static string Rows(bool files, double samplingNs, params (string File, int Event, int Sample, float Score)[] rows)
    {
        var w = new StringWriter { NewLine = "\n" };
        var writer = new PeakRows(w, files, samplingNs);
        writer.Header();
        foreach (var r in rows) writer.Write(r.File, r.Event, r.Sample, r.Score);
        Assert.Equal(rows.Length, writer.Count);
        return w.ToString();
    }

    [Fact]
    public void Rows_hold_event_sample_time_and_the_shortest_round_trip_score()
    {
        // Expected text written out by hand: 0.1f is 0.100000001490116..., whose shortest round-trip form is 0.1;
        // 1/3 as float is 0.33333334; 0.5 ns x 3 = 1.5; 0.1 x 3 = 0.30000000000000004 in double arithmetic (Python: repr(3 * 0.1)).
        Assert.Equal("event,sample,time_ns,score\n0,3,1.5,0.1\n12,1199,599.5,0.33333334\n",
            Rows(false, 0.5, ("a.npz", 0, 3, 0.1f), ("a.npz", 12, 1199, 1f / 3)));
        Assert.Equal("event,sample,time_ns,score\n4,3,0.30000000000000004,1E-07\n", Rows(false, 0.1, ("a.npz", 4, 3, 1e-7f)));
    }

    [Fact]
    public void File_names_are_quoted_when_they_hold_a_comma_or_quote()
    {
        Assert.Equal("file,event,sample,time_ns,score\nplain.npz,0,2,1,0.75\n\"a,\"\"b\"\".npz\",5,4,2,0.25\nplain.npz,1,6,3,1\n",
            Rows(true, 0.5, ("plain.npz", 0, 2, 0.75f), ("a,\"b\".npz", 5, 4, 0.25f), ("plain.npz", 1, 6, 1f)));
    }
}
