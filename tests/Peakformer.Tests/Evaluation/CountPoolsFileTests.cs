using Peakformer.Evaluation;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Evaluation;

/// <summary>A count shard's pools read back: a plan that is valid JSON but not a whole plan is bad input, not a crash.</summary>
public class CountPoolsFileTests
{
    private static CountPlan Plan() => new()
    {
        Data = "d.npz", Waveforms = 2, ClusterisationS = 1.5, MomentumBins = 1, HasParticles = false,
        Methods = [new CountMethod("DERIV + clusterisation", "classical", "N1=19")],
        Training = [new CountTrainingHistory("count transformer", "m.safetensors", "t.npz", 3, 2.1, [])],
    };

    private static CountPools Pools(CountPlan plan) =>
        new(plan, 0, [10, 12], [2, 3], [0, 1], Enumerable.Range(0, plan.Methods.Count).Select(_ => new double[] { 9, 13 }).ToArray());

    [Fact]
    public void A_whole_plan_reads_back_as_written()
    {
        using var folder = new TempFolder();
        string path = folder.File("p.npz");
        CountPoolsFile.Write(Pools(Plan()), path);
        var read = CountPoolsFile.Read(path);
        Assert.Equal("DERIV + clusterisation", read.Plan.Methods.Single().Name);
        Assert.Equal(new double[] { 9, 13 }, read.Counts.Single());
    }

    public static TheoryData<string> Broken => new() { "method null", "method name null", "training null", "history entry null", "data null", "bins 0", "bins huge" };

    [Theory]
    [MemberData(nameof(Broken))]
    public void A_plan_with_a_null_part_or_bins_out_of_range_is_a_one_line_error(string what)
    {
        var plan = Plan();
        plan = what switch
        {
            "method null" => plan with { Methods = [null!] },
            "method name null" => plan with { Methods = [new CountMethod(null!, "classical", "N1=19")] },
            "training null" => plan with { Training = null! },
            "history entry null" => plan with { Training = [plan.Training[0] with { History = [null!] }] },
            "data null" => plan with { Data = null! },
            "bins 0" => plan with { MomentumBins = 0 },
            _ => plan with { MomentumBins = 2_000_000_000 },
        };
        using var folder = new TempFolder();
        string path = folder.File("p.npz");
        CountPoolsFile.Write(Pools(plan), path);
        var e = Assert.Throws<InputException>(() => CountPoolsFile.Read(path));
        Assert.Contains("p.npz [count_plan]", e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }
}
