using System.Text.Json;
using Peakformer.Data.Images;
using Peakformer.Engine.Randomness;
using Peakformer.Learning.Models;
using Peakformer.Tests.Support;
using Peakformer.Vision.Data;

namespace Peakformer.Tests.Vision;

/// <summary>The map augmentations (§2, §10) against NumPy and SciPy (Golden/map_golden.json) and their seeding.</summary>
public class MapAugmentationTests
{
    private static readonly JsonElement Golden = JsonDocument.Parse(File.ReadAllText(GoldenFiles.Path("map_golden.json"))).RootElement;

    private static float[] Floats(JsonElement e) => e.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();

    [Fact]
    public void Flips_and_quarter_turns_match_numpy_rot90()
    {
        int c = Golden.GetProperty("channels").GetInt32(), h = Golden.GetProperty("height").GetInt32(), w = Golden.GetProperty("width").GetInt32();
        var map = Floats(Golden.GetProperty("map"));
        int cases = 0;
        foreach (var g in Golden.GetProperty("flip_rotate").EnumerateArray())
        {
            var output = new float[map.Length];
            MapTransform.FlipRotate(map, c, h, w, g.GetProperty("flip").GetBoolean(), g.GetProperty("k").GetInt32(), output);
            Assert.Equal(Floats(g.GetProperty("output")), output);
            cases++;
        }
        Assert.Equal(8, cases);
    }

    [Fact]
    public void The_separable_blur_matches_scipy_gaussian_filter1d_with_mirrored_borders()
    {
        int c = Golden.GetProperty("channels").GetInt32();
        foreach (var g in Golden.GetProperty("blur").EnumerateArray())
        {
            int h = g.GetProperty("height").GetInt32(), w = g.GetProperty("width").GetInt32();
            var map = Floats(g.GetProperty("map"));
            MapTransform.Blur(map, c, h, w, g.GetProperty("sigma").GetDouble(), new float[h * w]);
            var expected = Floats(g.GetProperty("output"));
            for (int i = 0; i < map.Length; i++) Assert.Equal(expected[i], map[i], 5);
        }
    }

    [Fact]
    public void Noise_is_clipped_to_the_unit_interval()
    {
        var map = Enumerable.Range(0, 200).Select(i => i % 2 == 0 ? 0f : 1f).ToArray();
        MapTransform.Noise(map, 0.5, new Rng(3));
        Assert.All(map, v => Assert.InRange(v, 0f, 1f));
        Assert.Contains(map, v => v is > 0f and < 1f);
    }

    private static ImageSet Maps(int n)
    {
        var rng = new Rng(5);
        var pixels = new float[n * 3 * 8 * 8];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = rng.NextFloat();
        return new ImageSet(3, 8, 8, pixels, Enumerable.Range(0, n).Select(i => i % 2).ToArray(), ImageClassNames.Numbered(2), "maps");
    }

    [Fact]
    public void Map_draws_depend_only_on_seed_epoch_and_map_and_change_between_epochs()
    {
        var set = Maps(6);
        var a = new ImageExamples(set, [0, 1, 2, 3, 4, 5], ImageAugmentation.MapDefault, seed: 7);
        var b = new ImageExamples(set, [5, 4, 3, 2, 1, 0], ImageAugmentation.MapDefault, seed: 7);
        var size = set.PixelsPerImage;
        var (x, y) = (new float[6 * size], new float[6 * size]);
        a.Fill([0, 1, 2, 3, 4, 5], x, new float[6]);
        b.Fill([5, 4, 3, 2, 1, 0], y, new float[6]);
        Assert.Equal(x, y);                                            // same map, same draws, whatever the order
        a.BeginEpoch(1);
        var z = new float[6 * size];
        a.Fill([0, 1, 2, 3, 4, 5], z, new float[6]);
        Assert.NotEqual(x, z);
        Assert.Contains(Enumerable.Range(0, 12), r => a.DrawMap(r % 6).Rotations != 0);
    }

    [Fact]
    public void An_image_augmentation_draws_as_before_the_map_options_and_writes_the_same_json()
    {
        var image = new ImageAugmentation(MaxShift: 2, HorizontalFlip: true);
        Assert.Equal("{\"max_shift\":2,\"horizontal_flip\":true,\"enabled\":true}", ModelJson.Serialize(image));
        var set = Maps(4);
        var plain = new ImageExamples(set, [0, 1, 2, 3], image, seed: 3);
        var map = new ImageExamples(set, [0, 1, 2, 3], image with { Noise = 0.01 }, seed: 3);
        for (int r = 0; r < 4; r++)
        {
            var d = map.DrawMap(r);
            Assert.Equal(plain.Draw(r), (d.Dx, d.Dy, d.Flip));
        }
    }

    [Fact]
    public void Parse_reads_the_items_and_names_a_bad_one()
    {
        var a = ImageAugmentation.Parse("hflip, rot90,blur=1.5,noise=0.03,shift=1", "--map-augment");
        Assert.Equal(new ImageAugmentation(1, true) { Rotate90 = true, Blur = 1.5, Noise = 0.03 }, a);
        Assert.Equal(ImageAugmentation.None, ImageAugmentation.Parse("none", "--map-augment"));
        var e = Assert.Throws<InputException>(() => ImageAugmentation.Parse("hflip,twist", "--map-augment"));
        Assert.Contains("'twist'", e.Message);
        Assert.Throws<InputException>(() => ImageAugmentation.Parse("blur=99", "--map-augment"));
        Assert.Throws<InputException>(() => ImageAugmentation.Parse("noise=x", "--map-augment"));
    }
}
