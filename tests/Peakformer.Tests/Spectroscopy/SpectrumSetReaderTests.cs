using System.Text.Json;
using Peakformer.Data.Npy;
using Peakformer.Spectroscopy.Inputs;
using Peakformer.Spectroscopy.Spectra;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Spectroscopy;

/// <summary>
/// Reading a user's spectra: .npy pairs, CSV and folders of text exports (fixtures and np.interp values from
/// tools/golden/make_spectra_inputs.py), resampling onto one grid, and one-line errors.
/// </summary>
public class SpectrumSetReaderTests
{
    private static string Input(string name) => GoldenFiles.Path(Path.Combine("spectra_inputs", name));
    private static readonly JsonElement Expected = JsonDocument.Parse(File.ReadAllText(Input("expected.json"))).RootElement;
    private static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    private static (SpectrumSet Set, List<string> Notes) Read(string path, SpectrumReadOptions? options = null)
    {
        var notes = new List<string>();
        return (SpectrumSetReader.Read(path, options ?? SpectrumReadOptions.Default, notes.Add), notes);
    }

    [Fact]
    public void The_bacteria_layout_finds_labels_and_shifts_beside_X_and_reads_float64_labels()
    {
        var (set, notes) = Read(Input("bacteria/X_reference.npy"));
        var x = (double[])NpyFile.Read(Input("bacteria/X_reference.npy"), 1000).Values;
        Assert.Equal(Array.ConvertAll(x, v => (float)v), set.Values);
        Assert.Equal([0, 1, 2, 0, 1, 2], set.Labels);
        Assert.Equal(["0", "1", "2"], set.ClassNames);
        Assert.Equal(400.0, set.Wavenumbers[0]);
        Assert.Equal(1800.0, set.Wavenumbers[^1], 9);
        Assert.Contains("y_reference.npy", Assert.Single(notes));
    }

    [Fact]
    public void A_folder_of_X_and_y_npy_reads_float32_with_class_names()
    {
        var (set, _) = Read(Input("f32"));
        Assert.Equal((float[])NpyFile.Read(Input("f32/X.npy"), 1000).Values, set.Values);
        Assert.Equal(["E. coli", "S. aureus"], set.ClassNames);
        Assert.Equal([1, 0, 1, 0], set.Labels);
        Assert.Equal(29.0, set.Wavenumbers[^1]);                         // no wavenumbers.npy: points numbered
    }

    [Fact]
    public void Labels_of_another_length_are_one_line_naming_the_file()
    {
        var e = Assert.Throws<InputException>(() => Read(Input("bacteria/X_reference.npy"), new SpectrumReadOptions { Labels = Input("f32/y.npy") }));
        Assert.Equal($"{Input("f32/y.npy")}: y: expected 6 labels (one per row of X), found 4", e.Message);
    }

    [Fact]
    public void A_csv_with_decreasing_shift_columns_is_turned_round_and_names_classes_by_label()
    {
        var (set, _) = Read(Input("table.csv"));
        Assert.Equal(Doubles(Expected.GetProperty("csv_shifts")), set.Wavenumbers);
        var rows = Expected.GetProperty("csv").EnumerateArray().SelectMany(r => Doubles(r).Select(v => (float)v)).ToArray();
        Assert.Equal(rows, set.Values);
        Assert.Equal(["calcite", "quartz"], set.ClassNames);
        Assert.Equal([1, 0, 1], set.Labels);
    }

    [Fact]
    public void A_folder_of_text_exports_is_resampled_onto_the_first_files_grid_as_numpy_interp()
    {
        var (set, notes) = Read(Input("text"));
        var grid = Doubles(Expected.GetProperty("grid"));
        Assert.Equal(grid, set.Wavenumbers);
        Assert.Equal(["anatase", "rutile"], set.ClassNames);
        Assert.Equal([0, 0, 1], set.Labels);
        var files = new[] { "anatase/a.txt", "anatase/b.txt", "rutile/c.csv" };
        for (int i = 0; i < files.Length; i++)
        {
            var expected = Doubles(Expected.GetProperty("text").GetProperty(files[i]));
            for (int k = 0; k < grid.Length; k++) Assert.Equal((float)expected[k], set.Spectrum(i)[k], 6);
        }
        Assert.Contains("2 of 3 spectra resampled onto the grid of", Assert.Single(notes));
    }

    [Fact]
    public void A_stated_grid_is_used_for_every_input_and_said()
    {
        var grid = new SpectralGrid(600, 1400, 9);
        var (set, notes) = Read(Input("bacteria/X_reference.npy"), new SpectrumReadOptions { Grid = grid });
        Assert.Equal(grid.Values(), set.Wavenumbers);
        Assert.Equal(2, notes.Count);
        Assert.Contains("resampled from 400..1800 cm^-1 (50 points) onto 600..1400 cm^-1 (9 points)", notes[1]);
        // Linear interpolation of a line is the line: a spectrum equal to its shift stays so.
        var line = new SpectrumSet(Enumerable.Range(0, 50).Select(k => (float)(400 + k * 1400.0 / 49)).ToArray(), [0], ["a"], new SpectralGrid(400, 1800, 50).Values());
        var onto = CommonGrid.Onto(line, grid.Values(), "line", _ => { });
        for (int k = 0; k < 9; k++) Assert.Equal(600 + 100 * k, onto.Values[k], 3);
    }

    [Fact]
    public void A_grid_beyond_a_spectrum_is_refused_naming_the_file()
    {
        var e = Assert.Throws<InputException>(() => Read(Input("text"), new SpectrumReadOptions { Grid = new SpectralGrid(300, 1500, 5) }));
        Assert.StartsWith($"{Input("text/anatase/a.txt")}: shift range: expected [300, 1500] cm^-1", e.Message);
    }

    [Theory]
    [InlineData("bad.txt", "500 1\n600 2\n700 x\n", "bad.txt:3: line: expected two finite numbers, shift and intensity, found '700 x'")]
    [InlineData("bad.txt", "500 1\n600 2\n550 3\n", "bad.txt: shift of point 3: expected shifts in strictly increasing order, found 550 after 600")]
    [InlineData("bad.txt", "Shift Intensity\n500 1\n", "bad.txt: points: expected at least 2 lines of shift and intensity, found 1")]
    public void A_bad_text_export_is_one_line_with_file_and_line(string name, string text, string expected)
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("a"));
        File.WriteAllText(Path.Combine(folder.File("a"), name), text);
        var e = Assert.Throws<InputException>(() => Read(folder.Path));
        Assert.Equal(Path.Combine(folder.File("a"), expected), e.Message);
    }

    [Theory]
    [InlineData("500,600,label\n1,2,a\n1,x,b\n", "t.csv:3: 600: expected a number")]
    [InlineData("500,abc,label\n1,2,a\n", "t.csv:1: column 2: expected a Raman shift in cm^-1 (a number) or the 'label' column, found 'abc'")]
    [InlineData("500,600\n1,2\n", "t.csv:1: header: expected a column 'label' (each row's class)")]
    [InlineData("500,600,400,label\n1,2,3,a\n", "t.csv:1: column 3: expected shifts in strictly increasing order")]
    public void A_bad_csv_is_one_line_with_file_line_and_column(string text, string expected)
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("t.csv"), text);
        var e = Assert.Throws<InputException>(() => Read(folder.File("t.csv")));
        Assert.StartsWith(Path.Combine(folder.Path, expected), e.Message);
    }

    [Fact]
    public void An_npy_whose_header_declares_more_than_the_file_holds_is_refused_before_reading()
    {
        using var folder = new TempFolder();
        var header = new NpyHeader(NpyType.Float32, 0, [1L << 20, 1L << 20]).Encode();
        File.WriteAllBytes(folder.File("X.npy"), header);
        File.WriteAllBytes(folder.File("y.npy"), header);
        var e = Assert.Throws<InputException>(() => Read(folder.File("X.npy")));
        Assert.StartsWith($"{folder.File("X.npy")}: file size: expected", e.Message);
    }

    [Fact]
    public void Npy_options_with_another_input_and_unknown_inputs_are_errors()
    {
        Assert.Throws<InputException>(() => Read(Input("table.csv"), new SpectrumReadOptions { Labels = "y.npy" }));
        var e = Assert.Throws<InputException>(() => Read(Input("expected.json")));
        Assert.Contains("expected an .npz, .npy, .csv or a folder of spectra", e.Message);
    }
}

/// <summary>preprocess reads every input through SpectrumSetReader.</summary>
public class PreprocessInputsTests
{
    [Fact]
    public void Preprocess_reads_a_folder_of_text_exports_and_says_it_resampled()
    {
        using var folder = new TempFolder();
        string output = folder.File("clean.npz");
        var r = Peakformer.Tests.Cli.CliHarness.Run("preprocess", "--data", GoldenFiles.Path(Path.Combine("spectra_inputs", "text")), "--steps", "minmax", "--out", output);
        Assert.True(r.Exit == 0, r.Error);
        Assert.Contains("2 of 3 spectra resampled onto the grid of", r.Output);
        var set = SpectrumSetFile.Read(output);
        Assert.Equal(["anatase", "rutile"], set.ClassNames);
        Assert.Equal(41, set.Length);
        var e = Peakformer.Tests.Cli.CliHarness.Run("preprocess", "--data", GoldenFiles.Path(Path.Combine("spectra_inputs", "table.csv")), "--labels", "y.npy", "--steps", "minmax", "--out", folder.File("b.npz"));
        Assert.Equal(1, e.Exit);
        Assert.Contains("--labels: expected an X .npy", e.Error);
        Assert.False(File.Exists(folder.File("b.npz")));
    }
}
