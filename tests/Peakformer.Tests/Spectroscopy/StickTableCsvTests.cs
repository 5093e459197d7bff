using Peakformer.Spectroscopy.Simulation;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Spectroscopy;

public class StickTableCsvTests
{
    [Fact]
    public void Classes_come_in_the_order_they_first_appear_with_bands_sorted_by_shift()
    {
        using var folder = new TempFolder();
        string path = folder.File("sticks.csv");
        File.WriteAllText(path, "class,shift_cm1,intensity\nbenzene,1600,0.3\nbenzene,992,1\ntoluene,1003,1\nbenzene,3060,0.5\ntoluene,785,0.4\n");
        var classes = StickTableCsv.Read(path, 9);
        Assert.Equal(["benzene", "toluene"], classes.Select(c => c.Name));
        Assert.Equal([992.0, 1600, 3060], classes[0].Bands.Select(b => b.Shift));
        Assert.All(classes.SelectMany(c => c.Bands), b => Assert.Equal(9, b.Fwhm));
    }

    [Theory]
    [InlineData("class,shift,intensity\na,1,1\nb,2,1\n", "shift_cm1")]
    [InlineData("class,shift_cm1,intensity\na,1,-1\nb,2,1\n", ":2: intensity")]
    [InlineData("class,shift_cm1,intensity\na,1,1\n", "at least 2 classes")]
    [InlineData("class,shift_cm1,intensity,fwhm_cm1\na,1,1,0\nb,2,1,5\n", ":2: fwhm_cm1")]
    public void A_bad_table_is_named_by_file_line_and_field(string text, string expected)
    {
        using var folder = new TempFolder();
        string path = folder.File("sticks.csv");
        File.WriteAllText(path, text);
        var e = Assert.Throws<InputException>(() => StickTableCsv.Read(path, 9));
        Assert.Contains(expected, e.Message);
    }
}
