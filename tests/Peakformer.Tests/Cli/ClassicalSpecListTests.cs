using Peakformer.Tests.Support;

namespace Peakformer.Tests.Cli;

/// <summary>
/// A list of classical specs with thresholds, "deriv:1,2,3,4,d2:0.1,0.2", keeps each finder's numbers in every command
/// that takes one (evaluate --classical, count --classical with and without truth, pid --methods), as shift and show
/// read it: one parser (MethodSpec.SplitList), not a split on every comma.
/// </summary>
public class ClassicalSpecListTests
{
    private const string Specs = "deriv:1,2,3,4,d2:0.1,0.2";

    private static void Ok((int Exit, string Output, string Error) r) => Assert.True(r.Exit == 0, r.Error + r.Output);

    [Fact]
    public void Every_command_reads_a_list_of_specs_with_thresholds()
    {
        using var folder = new TempFolder();
        string data = folder.File("test.npz");
        Ok(CliHarness.Run("simulate", "--events", "12", "--seed", "3", "--out", data));

        Ok(CliHarness.Run("evaluate", "--data", data, "--classical", Specs, "--out", folder.File("evaluate")));
        string evaluate = File.ReadAllText(Path.Combine(folder.File("evaluate"), "metrics.json"));
        Assert.Contains("N1=1 N2=2 N3=3 N4=4", evaluate);
        Assert.Contains("T1=0.1 noise rms, T2=0.2", evaluate);

        Ok(CliHarness.Run("count", "--data", data, "--classical", Specs, "--no-truth-peaks", "--out", folder.File("count")));
        string count = File.ReadAllText(Path.Combine(folder.File("count"), "metrics.json"));
        Assert.Contains("N1=1 N2=2 N3=3 N4=4", count);
        Assert.Contains("T1=0.1 noise rms, T2=0.2", count);

        // Without truth: one column per spec, counted by the spec's thresholds (the same counts predict gives).
        string golden = GoldenFiles.Path("wf_f32.h5");
        Ok(CliHarness.Run("count", "--data", golden, "--classical", Specs, "--out", folder.File("counts")));
        var table = File.ReadAllLines(Path.Combine(folder.File("counts"), "counts.csv"));
        Assert.Equal("file,event,DERIV + clusterisation,D2 + clusterisation", table[0]);
        Ok(CliHarness.Run("predict", "--model", "deriv:1,2,3,4", "--data", golden, "--out", folder.File("deriv.csv")));
        Ok(CliHarness.Run("predict", "--model", "deriv", "--data", golden, "--out", folder.File("typical.csv")));
        var explicitCounts = File.ReadAllLines(folder.File("deriv.csv"))[1..].Select(l => l.Split(',')[^1]).ToArray();
        Assert.Equal(explicitCounts, table[1..].Select(l => l.Split(',')[2]).ToArray());
        // The thresholds matter here: the typical ones count otherwise, so a spec that lost its numbers would show.
        Assert.NotEqual(explicitCounts, File.ReadAllLines(folder.File("typical.csv"))[1..].Select(l => l.Split(',')[^1]).ToArray());

        Ok(CliHarness.Run("pid", "--momenta", "5", "--tracks", "10", "--cells", "10", "--pool", "100", "--replicas", "2",
            "--methods", Specs, "--out", folder.File("pid")));
        string pid = File.ReadAllText(Path.Combine(folder.File("pid"), "metrics.json"));
        Assert.Contains("N1=1 N2=2 N3=3 N4=4", pid);
        Assert.Contains("T1=0.1 noise rms, T2=0.2", pid);
    }
}
