using Peakformer.Spectroscopy.Preprocessing;

namespace Peakformer.Tests.Spectroscopy;

public class PreprocessingPipelineTests
{
    [Fact]
    public void A_pipeline_survives_its_json_with_defaults_written_out()
    {
        var pipeline = PreprocessingPipeline.Parse("crop:400:1800, resample:400:1800:701,despike,als,airpls:1e4,savgol:11:3,MinMax,area,vector,max", "--steps");
        Assert.Equal("crop:400:1800,resample:400:1800:701,despike:6:3,als:100000:0.01:10,airpls:10000:15,savgol:11:3,minmax,area,vector,max", pipeline.Spec);
        Assert.Equal(pipeline.Spec, PreprocessingPipeline.FromJson(pipeline.ToJson(), "x").Spec);
    }

    [Theory]
    [InlineData("crop:400", "step 1 'crop:400': arguments: expected crop:MIN:MAX (2 after the name), found 1")]
    [InlineData("minmax,als:abc", "step 2 'als:abc': LAMBDA: expected a number")]
    [InlineData("savgol:10:3", "step 1 'savgol:10:3': WINDOW: expected an odd number of points, found 10")]
    [InlineData("savgol:11:11", "ORDER: expected a whole number in [0, 10], found '11'")]
    [InlineData("smooth:5", "step 1 'smooth:5': name: expected one of crop:MIN:MAX")]
    [InlineData("minmax,,area", "step 2: expected a step between the commas")]
    [InlineData("crop:1800:400", "MAX: expected a shift above MIN 1800, found 400")]
    [InlineData("minmax:1", "step 1 'minmax:1': arguments: expected minmax (0 after the name), found 1")]
    public void A_bad_step_is_named_with_what_was_expected_and_found(string spec, string expected)
    {
        var e = Assert.Throws<InputException>(() => PreprocessingPipeline.Parse(spec, "--steps"));
        Assert.StartsWith("--steps: ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_step_the_axis_cannot_take_is_named_before_any_spectrum_is_touched()
    {
        var axis = Enumerable.Range(0, 100).Select(k => 500.0 + k).ToArray();
        var e = Assert.Throws<InputException>(() => PreprocessingPipeline.Parse("crop:550:590,savgol:51:3", "--steps").Axes(axis, "--steps"));
        Assert.Equal("--steps: step 2 'savgol:51:3': WINDOW: expected at most the spectrum's 41 points, found 51", e.Message);
    }

    [Fact]
    public void Cropping_keeps_the_points_within_the_range_inclusive()
    {
        var axis = Enumerable.Range(0, 10).Select(k => 100.0 * k).ToArray();
        var step = new CropStep(200, 500);
        Assert.Equal([200.0, 300, 400, 500], step.OutputAxis(axis));
        var output = new double[4];
        step.Apply(axis, axis, output);
        Assert.Equal([200.0, 300, 400, 500], output);
    }
}
