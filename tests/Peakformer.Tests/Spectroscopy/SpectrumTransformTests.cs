using Peakformer.Spectroscopy.Spectra;
using Peakformer.Spectroscopy.Training;

namespace Peakformer.Tests.Spectroscopy;

/// <summary>Each augmentation transform against its closed form (§10 for roll and noise), and the per-(seed, epoch, spectrum) draws.</summary>
public class SpectrumTransformTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(-1)]
    [InlineData(7)]
    [InlineData(0)]
    public void Roll_moves_every_point_s_bins_round_the_end(int s)
    {
        float[] x = [10, 11, 12, 13, 14];
        var y = new float[5];
        SpectrumTransform.Roll(x, s, y);
        for (int k = 0; k < 5; k++) Assert.Equal(x[(((k - s) % 5) + 5) % 5], y[k]);
    }

    [Fact]
    public void Roll_by_two_is_numpys_roll()
    {
        var y = new float[5];
        SpectrumTransform.Roll([1f, 2, 3, 4, 5], 2, y);
        Assert.Equal([4f, 5, 1, 2, 3], y); // numpy.roll([1, 2, 3, 4, 5], 2)
    }

    [Fact]
    public void Noise_is_added_then_clipped_to_the_spectrums_own_range()
    {
        float[] x = [0f, 0.5f, 1f, 0.25f];
        SpectrumTransform.AddNoise(x, 0.1, [1.0, -2.0, 3.0, -10.0]);
        Assert.Equal(0.1f, x[0], 6);
        Assert.Equal(0.3f, x[1], 6);
        Assert.Equal(1f, x[2]);   // 1.3 clipped to the maximum
        Assert.Equal(0f, x[3]);   // -0.75 clipped to the minimum
    }

    [Fact]
    public void Scale_offset_and_slope_give_a_straight_baseline_through_the_offset_at_the_centre()
    {
        float[] x = [1, 1, 1, 1, 1];
        SpectrumTransform.ScaleAndBaseline(x, 2, 0.5, 0.4);
        // 2 * 1 + 0.5 + 0.4 (k / 4 - 0.5)
        Assert.Equal([2.3f, 2.4f, 2.5f, 2.6f, 2.7f], x.Select(v => MathF.Round(v, 5)).ToArray());
    }

    [Fact]
    public void Mixup_is_the_convex_combination()
    {
        var y = new float[2];
        SpectrumTransform.Mix([1f, 0f], [0f, 2f], 0.25, y);
        Assert.Equal([0.25f, 1.5f], y);
    }

    private static SpectrumSet Set()
    {
        var values = Enumerable.Range(0, 6 * 8).Select(i => (float)((i * 37 % 11) / 10.0)).ToArray();
        return new SpectrumSet(values, [0, 1, 0, 1, 0, 1], ["a", "b"], Enumerable.Range(0, 8).Select(k => 100.0 + k).ToArray());
    }

    [Fact]
    public void The_same_seed_epoch_and_spectrum_give_the_same_input_whatever_the_batch()
    {
        var a = new SpectrumAugmentation { Roll = 2, Noise = 0.05, Scale = 0.1, Offset = 0.1, Slope = 0.1, Mixup = 0.4 };
        int[] rows = [0, 1, 2, 3, 4, 5];
        var one = new SpectrumExamples(Set(), rows, a, 9, mixedTargets: true);
        var two = new SpectrumExamples(Set(), rows, a, 9, mixedTargets: true);
        one.BeginEpoch(3);
        two.BeginEpoch(3);
        var inputsOne = new float[3 * 8];
        var targetsOne = new float[3 * 3];
        one.Fill([4, 1, 2], inputsOne, targetsOne);
        var inputsTwo = new float[8];
        var targetsTwo = new float[3];
        two.Fill([2], inputsTwo, targetsTwo);
        Assert.Equal(inputsOne.AsSpan(16, 8).ToArray(), inputsTwo);
        Assert.Equal(targetsOne.AsSpan(6, 3).ToArray(), targetsTwo);
        two.BeginEpoch(4);
        two.Fill([2], inputsTwo, targetsTwo);
        Assert.NotEqual(inputsOne.AsSpan(16, 8).ToArray(), inputsTwo);
    }

    [Fact]
    public void A_drawn_augmentation_is_the_transforms_applied_in_order()
    {
        var set = Set();
        var a = new SpectrumAugmentation { Roll = 3, Noise = 0.02, Scale = 0.2, Offset = 0.1, Slope = 0.2, Mixup = 1 };
        var examples = new SpectrumExamples(set, [0, 1, 2, 3, 4, 5], a, 5, mixedTargets: true);
        examples.BeginEpoch(2);
        var normals = new double[8];
        var d = examples.Draw(3, normals);
        var inputs = new float[8];
        var targets = new float[3];
        examples.Fill([3], inputs, targets);
        // By hand: mix, roll, scale and baseline, noise with clip.
        var expected = new float[8];
        for (int k = 0; k < 8; k++) expected[k] = (float)(d.Lambda * set.Spectrum(3)[k] + (1 - d.Lambda) * set.Spectrum(d.Partner)[k]);
        var rolled = new float[8];
        for (int k = 0; k < 8; k++) rolled[k] = expected[(((k - d.Roll) % 8) + 8) % 8];
        for (int k = 0; k < 8; k++) rolled[k] = (float)(d.Factor * rolled[k] + d.Offset + d.Slope * (k / 7.0 - 0.5));
        float lo = rolled.Min(), hi = rolled.Max();
        for (int k = 0; k < 8; k++) rolled[k] = Math.Clamp((float)(rolled[k] + 0.02 * normals[k]), lo, hi);
        Assert.Equal(rolled, inputs);
        Assert.Equal([set.Labels[3], set.Labels[d.Partner], (float)d.Lambda], targets);
        Assert.InRange(d.Roll, -3, 3);
        Assert.InRange(d.Factor, 0.8, 1.2);
    }

    [Theory]
    [InlineData("roll=2.5", "--augment roll: expected a whole number of bins")]
    [InlineData("noise", "--augment: expected KEY=NUMBER items")]
    [InlineData("blur=1", "--augment: expected one of the keys roll, noise, scale, offset, slope, mixup, found 'blur'")]
    [InlineData("scale=1.5", "--augment scale")]
    [InlineData("noise=-1", "--augment noise")]
    public void A_bad_augmentation_is_one_line_naming_the_key(string text, string expected)
    {
        var e = Assert.Throws<InputException>(() => SpectrumAugmentation.Parse(text));
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void An_augmentation_reads_back_from_its_text()
    {
        var a = SpectrumAugmentation.Parse("roll=3, noise=0.01,mixup=0.2");
        Assert.Equal(new SpectrumAugmentation { Roll = 3, Noise = 0.01, Mixup = 0.2 }, a);
        Assert.Equal(a, SpectrumAugmentation.Parse(a.ToString()));
        Assert.False(SpectrumAugmentation.Parse("").Enabled);
    }
}
