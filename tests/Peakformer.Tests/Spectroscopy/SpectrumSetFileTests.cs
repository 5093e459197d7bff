using Peakformer.Data.Npy;
using Peakformer.Spectroscopy.Spectra;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Spectroscopy;

/// <summary>Reading a spectrum .npz: labels without class names cannot make the reader allocate past the data.</summary>
public class SpectrumSetFileTests
{
    private static string Write(TempFolder folder, long[] labels)
    {
        string path = folder.File("s.npz");
        using var writer = new NpzWriter(path);
        writer.Add("X", NpyArray.Of(new float[labels.Length * 3], labels.Length, 3));
        writer.Add("y", NpyArray.Of(labels, labels.Length));
        writer.Commit();
        return path;
    }

    [Theory]
    [InlineData(1_000_000_000L)]
    [InlineData(long.MaxValue)]
    public void A_label_far_beyond_the_data_without_class_names_is_a_one_line_error(long label)
    {
        using var folder = new TempFolder();
        var e = Assert.Throws<InputException>(() => SpectrumSetFile.Read(Write(folder, [0, label])));
        Assert.Contains("y[1]", e.Message);
        Assert.Contains("a class index in [0, 1]", e.Message);
    }

    [Fact]
    public void Labels_without_class_names_name_the_classes_by_number()
    {
        using var folder = new TempFolder();
        var set = SpectrumSetFile.Read(Write(folder, [1, 0, 2]));
        Assert.Equal(["0", "1", "2"], set.ClassNames);
    }
}
