using Peakformer.DriftChamber.Finders;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.DriftChamber;

public class MethodSpecTests
{
    private static readonly MethodKind[] All = [MethodKind.Truth, MethodKind.TruthPeaks, MethodKind.Classical, MethodKind.Model];

    [Fact]
    public void A_comma_list_keeps_a_finders_thresholds_together()
    {
        Assert.Equal(["m.safetensors@0.9", "deriv:8,1,0.1,2e-1", "d2", "d2:3,0.05", "x.safetensors"],
            MethodSpec.SplitList(" m.safetensors@0.9, deriv:8,1,0.1,2e-1 ,d2,d2:3,0.05,x.safetensors"));
        Assert.Equal(["3", "deriv"], MethodSpec.SplitList("3,deriv"));
        Assert.Empty(MethodSpec.SplitList(null));
    }

    [Fact]
    public void Every_written_form_is_read()
    {
        using var folder = new TempFolder();
        string model = folder.File("m.safetensors");
        File.WriteAllText(model, "");
        Assert.Equal(MethodKind.Truth, MethodSpec.Parse(" Truth ", "--x", All).Kind);
        Assert.Equal(MethodKind.TruthPeaks, MethodSpec.Parse("truth-peaks", "--x", All).Kind);
        var deriv = MethodSpec.Parse("DERIV", "--x", All);
        Assert.Equal((MethodKind.Classical, "deriv", (double[]?)null), (deriv.Kind, deriv.Finder, deriv.Thresholds));
        var d2 = MethodSpec.Parse("d2:3,0.05", "--x", All);
        Assert.Equal("d2", d2.Finder);
        Assert.Equal([3, 0.05], d2.Thresholds!);
        Assert.Equal([8, 1, 0.1, 0.2], MethodSpec.Parse("deriv:8,1,0.1,2e-1", "--x", All).Thresholds!);
        var plain = MethodSpec.Parse(model, "--x", All);
        Assert.Equal((MethodKind.Model, model, (double?)null), (plain.Kind, plain.Path, plain.Threshold));
        var at = MethodSpec.Parse(model + "@0.9", "--x", All);
        Assert.Equal((model, (double?)0.9), (at.Path, at.Threshold));
    }

    [Fact]
    public void An_at_sign_before_something_not_a_number_belongs_to_the_path()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("user@host"));
        string model = folder.File("user@host/m.safetensors");
        File.WriteAllText(model, "");
        Assert.Equal((model, (double?)null), MethodSpec.SplitThreshold(model, "--x"));
        Assert.Equal(model, MethodSpec.Parse(model + "@0.5", "--x", MethodKind.Model).Path);
    }

    [Theory]
    [InlineData("magic", "--methods", "--methods: expected truth, truth-peaks, deriv, d2, deriv:N1,N2,N3,N4, d2:T1,T2, a model checkpoint (MODEL or MODEL@THRESHOLD), found 'magic' (no such file)")]
    [InlineData("deriv:8,1", "--peaks-from", "--peaks-from: expected deriv:N1,N2,N3,N4 or d2:T1,T2 with non-negative numbers, found 'deriv:8,1'")]
    [InlineData("d2:3,-1", "--peaks-from", "--peaks-from: expected deriv:N1,N2,N3,N4 or d2:T1,T2 with non-negative numbers, found 'd2:3,-1'")]
    [InlineData("d2:3,x", "--peaks-from", "--peaks-from: expected deriv:N1,N2,N3,N4 or d2:T1,T2 with non-negative numbers, found 'd2:3,x'")]
    [InlineData("m.safetensors@1.5", "--peak-models", "--peak-models: expected MODEL@THRESHOLD with a threshold in (0, 1), found 'm.safetensors@1.5'")]
    [InlineData("m.safetensors@0", "--peak-models", "--peak-models: expected MODEL@THRESHOLD with a threshold in (0, 1), found 'm.safetensors@0'")]
    [InlineData("m.safetensors@NaN", "--peak-models", "--peak-models: expected MODEL@THRESHOLD with a threshold in (0, 1), found 'm.safetensors@NaN'")]
    public void A_bad_spec_is_one_line_naming_the_option_what_it_expects_and_what_it_found(string spec, string option, string message)
    {
        var e = Assert.Throws<InputException>(() => MethodSpec.Parse(spec, option, All));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void A_kind_the_option_does_not_take_is_refused_with_what_it_takes()
    {
        var e = Assert.Throws<InputException>(() => MethodSpec.Parse("truth", "--peak-models", MethodKind.Model));
        Assert.Equal("--peak-models: expected a model checkpoint (MODEL or MODEL@THRESHOLD), found 'truth' (no such file)", e.Message);
        e = Assert.Throws<InputException>(() => MethodSpec.Parse("deriv", "--x", MethodKind.Truth));
        Assert.Equal("--x: expected truth, found 'deriv'", e.Message);
    }

    [Fact]
    public void The_classical_list_of_the_evaluations_takes_specs_with_thresholds_as_shift_gives_them()
    {
        Assert.Equal("d2", MethodSpec.ClassicalFinder("d2", "--classical"));
        new Peakformer.Evaluation.EvaluationSettings { DataPath = "x.npz", Classical = ["deriv", "deriv:1,2,3,4"] }.Validate();
        new Peakformer.Evaluation.CountEvaluationSettings { DataPath = "x.npz", Classical = ["d2:1,0.5"] }.Validate();
        // A spec cut by a comma split (evaluate/count --classical split on commas) is refused, not half-read.
        foreach (var validate in new Action[]
        {
            () => new Peakformer.Evaluation.EvaluationSettings { DataPath = "x.npz", Classical = ["deriv:1", "2", "3", "4"] }.Validate(),
            () => new Peakformer.Evaluation.CountEvaluationSettings { DataPath = "x.npz", Classical = ["deriv:1"] }.Validate(),
        })
            Assert.Contains("--classical", Assert.Throws<InputException>(validate).Message);
    }
}
