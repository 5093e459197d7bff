using System.Text.Json;
using Peakformer.Engine.Checkpoints;
using Peakformer.Engine.Tensors;
using Peakformer.Tests.Support;
using Peakformer.Vision.Attention;
using Peakformer.Vision.Models;

namespace Peakformer.Tests.Vision;

public class AttentionMapsTests
{
    /// <summary>
    /// tools/golden/make_vit_attention_golden.py: from torchvision's attention probabilities (vit*_torch_io), NumPy's
    /// class-token rows, rollout and the rollout spread over the pixels of each patch geometry.
    /// </summary>
    [Theory]
    [InlineData("vit", PatchGeometry.Square)]
    [InlineData("vit1d", PatchGeometry.Raster)]
    public void Head_maps_rollout_and_pixels_match_numpy_on_torchvisions_attention(string name, PatchGeometry geometry)
    {
        var io = SafeTensorsFile.Read(GoldenFiles.Path($"{name}_torch_io.safetensors")).Tensors.ToDictionary(t => t.Name);
        var attention = Enumerable.Range(0, 2).Select(l => Tensor.FromArray(io[$"out.attention.{l}"].Values, io[$"out.attention.{l}"].Shape)).ToArray();
        using var golden = JsonDocument.Parse(File.ReadAllText(GoldenFiles.Path("vit_attention.json")));
        var images = golden.RootElement.GetProperty(name);
        Assert.Equal(attention[0].Shape[0], images.GetArrayLength());
        for (int b = 0; b < images.GetArrayLength(); b++)
        {
            var rollout = AttentionMaps.Rollout(attention, b);
            AssertClose(images[b].GetProperty("heads"), AttentionMaps.ClassTokenMaps(attention, b), $"{name} image {b} heads");
            AssertClose(images[b].GetProperty("rollout"), rollout, $"{name} image {b} rollout");
            AssertClose(images[b].GetProperty("pixels"), PatchPixels.Upsample(geometry, 28, 7, rollout), $"{name} image {b} pixels");
        }
    }

    [Fact]
    public void Rollout_of_uniform_attention_is_closed_form()
    {
        // Uniform attention U (every entry 1/T): one layer gives (U + I) / 2, class row over the patches 1/(2T);
        // two layers ((U + I) / 2)^2 = (3U + I) / 4 since U^2 = U, so 3/(4T).
        const int t = 5, heads = 3;
        var uniform = Tensor.Zeros(1, heads, t, t);
        uniform.Data.Fill(1f / t);
        Assert.All(AttentionMaps.Rollout([uniform], 0), v => Assert.Equal(1.0 / (2 * t), v, 1e-7));
        Assert.All(AttentionMaps.Rollout([uniform, uniform], 0), v => Assert.Equal(3.0 / (4 * t), v, 1e-7));
        Assert.Equal(t - 1, AttentionMaps.Rollout([uniform], 0).Length);
    }

    [Fact]
    public void Rollout_of_identity_attention_keeps_the_class_token_to_itself_and_head_maps_take_row_zero()
    {
        // Every token attends only to itself in head 0; head 1 puts all of the class token's attention on patch 2.
        const int t = 4;
        var a = Tensor.Zeros(1, 2, t, t);
        for (int i = 0; i < t; i++) a.Data[i * t + i] = 1;
        for (int i = 0; i < t; i++) a.Data[t * t + i * t + (i == 0 ? 3 : i)] = 1;
        Assert.Equal([0f, 0f, 0f, 0f, 0f, 1f], AttentionMaps.ClassTokenMaps([a], 0));
        // Heads' mean: row 0 = [1/2, 0, 0, 1/2]; plus I and halved: [3/4, 0, 0, 1/4].
        Assert.Equal([0f, 0f, 0.25f], AttentionMaps.Rollout([a], 0));
    }

    [Fact]
    public void Patches_cover_their_square_blocks_or_raster_runs()
    {
        // 4x4 image, 2x2 patches: square patch 2 is the lower-left block; raster patch 1 is pixels 4..7, the second row.
        float[] map = [10, 20, 30, 40];
        Assert.Equal([10, 10, 20, 20, 10, 10, 20, 20, 30, 30, 40, 40, 30, 30, 40, 40], PatchPixels.Upsample(PatchGeometry.Square, 4, 2, map));
        Assert.Equal([10, 10, 10, 10, 20, 20, 20, 20, 30, 30, 30, 30, 40, 40, 40, 40], PatchPixels.Upsample(PatchGeometry.Raster, 4, 2, map));
        Assert.Equal(2, PatchPixels.PatchOf(PatchGeometry.Square, 4, 2, 3, 1));
        // 28x28 with 7x7: raster pixel (1, 21) is index 49, the first of patch 1.
        Assert.Equal(1, PatchPixels.PatchOf(PatchGeometry.Raster, 28, 7, 1, 21));
        Assert.Equal(0, PatchPixels.PatchOf(PatchGeometry.Raster, 28, 7, 1, 20));
    }

    private static void AssertClose(JsonElement expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.Equal(expected.GetArrayLength(), actual.Length);
        for (int i = 0; i < actual.Length; i++)
        {
            double e = expected[i].GetDouble();
            Assert.True(Math.Abs(e - actual[i]) <= 1e-5, $"{what}[{i}]: expected {e:G9}, found {actual[i]:G9}");
        }
    }
}
