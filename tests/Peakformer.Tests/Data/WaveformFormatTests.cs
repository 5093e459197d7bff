using Peakformer.Data;
using Peakformer.Data.Npy;
using Peakformer.Data.Waveforms;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Data;

/// <summary>
/// Every waveform format against the float32 .npz, all written by NumPy/h5py (tools/golden/make_waveform_formats.py):
/// the samples must match bit for bit (the set's amplitudes are multiples of 2^-8, so each conversion is exact),
/// and hostile files must fail with one line naming the file and what is wrong.
/// </summary>
public class WaveformFormatTests
{
    private const string AdcMapText = "waveforms=/adc/samples,pedestal=/calib/pedestal,gain=/calib/gain,sampling_ns=/meta/dt";
    private static readonly WaveformArrayNames AdcMap = WaveformArrayNames.Parse(AdcMapText);

    private static float[] Read(string name, WaveformReadOptions? options = null)
    {
        using var data = WaveformDataset.Open(GoldenFiles.Path(name), options ?? WaveformReadOptions.None);
        Assert.Equal((3, 1200, 0.5), (data.Count, data.Samples, data.SamplingNs));
        return data.ReadWaveforms(0, data.Count);
    }

    private static float[] Reference() => Read("wf_f32.npz");

    public static TheoryData<string, string?, string?> Formats => new()
    {
        { "wf_f64.npz", null, null },
        { "wf_i16.npz", null, null },
        { "wf_f32.h5", null, null },
        { "wf_adc.h5", AdcMapText, null },
        { "wf.csv", null, "event" },
        // Written by parquet-wasm (tools/golden/make_waveform_parquet.mjs): a float32 list column, and int16 ADC
        // counts with pedestal/gain columns, sampling_ns as key-value metadata and two row groups.
        { "wf_f32.parquet", null, null },
        { "wf_adc.parquet", "waveforms=adc", null },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void Each_format_reads_to_the_float32_npz_samples_bit_for_bit(string file, string? map, string? csvColumns)
    {
        var options = new WaveformReadOptions
        {
            Names = WaveformArrayNames.Parse(map),
            CsvColumns = csvColumns is null ? [] : [csvColumns],
        };
        var expected = Reference();
        var found = Read(file, options);
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), found.Select(BitConverter.SingleToInt32Bits));
        // Row ranges (how commands stream) give the same rows as a whole read.
        using var data = WaveformDataset.Open(GoldenFiles.Path(file), options);
        Assert.Equal(expected.AsSpan(1200, 2400).ToArray(), data.ReadWaveforms(1, 2));
    }

    [Fact]
    public void Options_override_the_files_calibration_and_say_so()
    {
        // (adc - pedestal_i) * 0.5 = 128 x the float32 amplitude: exact in float32.
        var expected = Reference().Select(v => v * 128).ToArray();
        using var data = WaveformDataset.Open(GoldenFiles.Path("wf_i16.npz"), new WaveformReadOptions { Gain = 0.5 });
        Assert.Equal(expected, data.ReadWaveforms(0, 3));
        Assert.Contains(data.Notes, n => n.Contains("--gain 0.5 used instead of the file's 'gain'"));
    }

    [Fact]
    public void Bare_uint16_npy_takes_pedestal_gain_and_sampling_from_options()
    {
        // One pedestal of 200 for all: waveform i is offset by (pedestal_i - 200) counts, pedestal_i = 200, 203, 198.
        int[] offset = [0, 3, -2];
        var reference = Reference();
        var expected = reference.Select((v, k) => (float)((v * 256 + offset[k / 1200]) * 0.25)).ToArray();
        var found = Read("wf_u16.npy", new WaveformReadOptions { Pedestal = 200, Gain = 0.25, SamplingNs = 0.5 });
        Assert.Equal(expected, found);
        using var unscaled = WaveformDataset.Open(GoldenFiles.Path("wf_u16.npy"));
        Assert.Contains(unscaled.Notes, n => n.Contains("<u2 samples (ADC counts) used unscaled"));
    }

    [Fact]
    public void Several_files_read_as_one_and_keep_file_and_event()
    {
        string f32 = GoldenFiles.Path("wf_f32.npz"), h5 = GoldenFiles.Path("wf_f32.h5");
        using var data = WaveformDataset.Open($"{f32},{h5}");
        Assert.Equal((6, 2), (data.Count, data.Files));
        Assert.Equal((h5, 1), data.Origin(4));
        Assert.Equal((f32, 2), data.Origin(2));
        var reference = Reference();
        // A range across the two files.
        Assert.Equal(reference.AsSpan(2 * 1200).ToArray().Concat(reference.AsSpan(0, 1200).ToArray()), data.ReadWaveforms(2, 2));
        Assert.False(data.HasTruth);
        using var globbed = WaveformDataset.Open(Path.Combine(Path.GetDirectoryName(f32)!, "wf_f*.npz"));
        Assert.Equal(2, globbed.Files);
        Assert.EndsWith("wf_f64.npz", globbed.Origin(3).File);
    }

    [Fact]
    public void Hostile_files_are_one_line_errors_naming_what_is_wrong()
    {
        using var tmp = new TempFolder();
        string wrongType = tmp.File("int32.npz"), flat = tmp.File("flat.npz");
        Write(wrongType, NpyArray.Of(new int[6], 2, 3));
        Write(flat, NpyArray.Of(new float[6], 6));
        Expect(wrongType, "[waveforms]: expected float32, float64, int16 or uint16 [N, L], found <i4 with shape (2, 3)");
        Expect(flat, "[waveforms]: expected float32, float64, int16 or uint16 [N, L], found <f4 with shape (6)");

        string ragged = tmp.File("ragged.csv");
        File.WriteAllText(ragged, "1,2,3\n4,5,6\n7,8\n");
        Expect(ragged, "ragged.csv:3: expected 3 fields like the first line, found 2");
        string word = tmp.File("word.csv");
        File.WriteAllText(word, "1,2,3\n4,x,6\n");
        Expect(word, "word.csv:2: column 2: expected a number, found 'x'");

        byte[] h5 = File.ReadAllBytes(GoldenFiles.Path("wf_f32.h5"));
        string truncated = tmp.File("truncated.h5");
        File.WriteAllBytes(truncated, h5[..(h5.Length / 2)]);
        Expect(truncated, "truncated.h5");
        string notH5 = tmp.File("text.h5");
        File.WriteAllText(notH5, "not an HDF5 file");
        Expect(notH5, "not a readable HDF5 file");

        Expect(GoldenFiles.Path("wf_huge.h5"), "[/waveforms]: shape: expected at most");
        Expect(GoldenFiles.Path("wf_f32.h5"), "expected dataset '/adc/samples'", new WaveformReadOptions { Names = AdcMap });

        string mismatched = GoldenFiles.Path("wf_f32.npz") + "," + ragged;
        Expect(mismatched, "ragged.csv:3");
        Assert.Throws<InputException>(() => WaveformArrayNames.Parse("samples=/x"));
    }

    private static float[] ReadAll(string path, WaveformReadOptions? options = null)
    {
        using var data = WaveformDataset.Open(path, options ?? WaveformReadOptions.None);
        return data.ReadWaveforms(0, data.Count);
    }

    [Fact]
    public void Csv_first_line_is_a_header_only_when_a_field_is_not_a_number()
    {
        using var tmp = new TempFolder();
        // Quoted numbers are data (RFC 4180 quotes stripped), not a header to drop.
        string quoted = tmp.File("quoted.csv");
        File.WriteAllText(quoted, "\"1\",\"2\",\"3\"\n4,5,6\n");
        Assert.Equal([1f, 2, 3, 4, 5, 6], ReadAll(quoted));
        // A name in any column makes a header, not only in the last.
        string named = tmp.File("named.csv");
        File.WriteAllText(named, "s0,1,2\n4,5,6\n");
        Assert.Equal([4f, 5, 6], ReadAll(named));
        // pandas' 0,1,2 labels: numbers, so waveform 0 unless --csv-header says otherwise, and a note says which.
        string pandas = tmp.File("pandas.csv");
        File.WriteAllText(pandas, "0,1,2\n4,5,6\n");
        using (var data = WaveformDataset.Open(pandas))
        {
            Assert.Equal(2, data.Count);
            Assert.Contains(data.Notes, n => n.Contains("pandas.csv:1:") && n.Contains("--csv-header"));
        }
        Assert.Equal([4f, 5, 6], ReadAll(pandas, new WaveformReadOptions { CsvHeader = true }));
    }

    [Fact]
    public void Csv_byte_order_mark_is_skipped()
    {
        using var tmp = new TempFolder();
        byte[] bom = [0xEF, 0xBB, 0xBF];
        string data = tmp.File("bom.csv"), header = tmp.File("bomheader.csv");
        File.WriteAllBytes(data, [.. bom, .. "1,2,3\n4,5,6\n"u8.ToArray()]);
        File.WriteAllBytes(header, [.. bom, .. "event,s0,s1\n7,5,6\n"u8.ToArray()]);
        Assert.Equal([1f, 2, 3, 4, 5, 6], ReadAll(data));
        Assert.Equal([5f, 6], ReadAll(header, new WaveformReadOptions { CsvColumns = ["event"] }));
        Assert.Equal("x", CsvField.WithoutBom("\uFEFFx"));
    }

    [Fact]
    public void Csv_trailing_comma_and_column_case()
    {
        using var tmp = new TempFolder();
        string trailing = tmp.File("trailing.csv");
        File.WriteAllText(trailing, "1,2,\n4,5,6\n");
        Expect(trailing, "trailing.csv:1: column 3: expected a value after every comma, found the line ends in a comma");
        // --csv-columns Pedestal finds the 'pedestal' column as the header check does: case aside.
        string upper = tmp.File("upper.csv");
        File.WriteAllText(upper, "Pedestal,s0,s1\n10,11,13\n");
        Assert.Equal([1f, 3], ReadAll(upper, new WaveformReadOptions { CsvColumns = ["Pedestal"] }));
    }

    [Fact]
    public void Hdf5_unsigned_32_and_64_bit_integers_are_refused_not_read_as_signed()
    {
        using var tmp = new TempFolder();
        string waveforms = tmp.File("u32.h5"), gain = tmp.File("u64gain.h5");
        new PureHDF.H5File { ["waveforms"] = new uint[,] { { 1, 2 }, { 3, 4 } } }.Write(waveforms);
        new PureHDF.H5File { ["waveforms"] = new float[,] { { 1, 2 } }, ["gain"] = new ulong[] { ulong.MaxValue } }.Write(gain);
        Expect(waveforms, "u32.h5 [/waveforms]: type: expected float32, float64, int16 or uint16 numbers (or signed integers for pedestal, gain, sampling_ns), found HDF5 unsigned 32-bit integers");
        Expect(gain, "u64gain.h5 [/gain]: type: expected");
    }

    [Fact]
    public void A_bad_sample_in_a_file_list_names_its_file_and_event()
    {
        using var tmp = new TempFolder();
        string bad = tmp.File("bad.csv");
        var rows = Enumerable.Range(0, 2).Select(r => string.Join(',', Enumerable.Range(0, 1200).Select(i => r == 1 && i == 2 ? "nan" : "0.5")));
        File.WriteAllLines(bad, rows);
        Expect(GoldenFiles.Path("wf_f32.npz") + "," + bad, $"{bad} [waveforms]: waveform 1 sample 2 is NaN");
    }

    [Fact]
    public void A_file_set_holds_at_most_one_file_open()
    {
        using var tmp = new TempFolder();
        const int files = 150;
        for (int i = 0; i < files; i++) File.Copy(GoldenFiles.Path("wf_f32.h5"), tmp.File($"run{i:D3}.h5"));
        int before = Directory.GetFiles("/proc/self/fd").Length;
        using var data = WaveformDataset.Open(Path.Combine(tmp.Path, "run*.h5"));
        data.ReadWaveforms(0, data.Count);
        Assert.Equal(3 * files, data.Count);
        // Every file open at once would add 150 descriptors; other tests running alongside add a few.
        Assert.InRange(Directory.GetFiles("/proc/self/fd").Length - before, -50, 50);
        Assert.Equal(Reference(), data.ReadWaveforms(3 * 77, 3));
    }

    [Fact]
    public void Integer_samples_with_half_a_calibration_say_what_the_other_half_is()
    {
        using var gainOnly = WaveformDataset.Open(GoldenFiles.Path("wf_u16.npy"), new WaveformReadOptions { Gain = 0.25 });
        Assert.Contains(gainOnly.Notes, n => n.Contains("with a pedestal of 0: give --pedestal"));
        using var pedestalOnly = WaveformDataset.Open(GoldenFiles.Path("wf_u16.npy"), new WaveformReadOptions { Pedestal = 200 });
        Assert.Contains(pedestalOnly.Notes, n => n.Contains("with a gain of 1: give --gain"));
    }

    private static void Write(string path, NpyArray waveforms)
    {
        using var npz = new NpzWriter(path);
        npz.Add("waveforms", waveforms);
        npz.Commit();
    }

    private static void Expect(string path, string message, WaveformReadOptions? options = null)
    {
        var e = Assert.Throws<InputException>(() =>
        {
            using var data = WaveformDataset.Open(path, options ?? WaveformReadOptions.None);
            data.ReadWaveforms(0, data.Count);
        });
        Assert.Contains(message, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
