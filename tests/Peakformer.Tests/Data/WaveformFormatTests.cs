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
    private static readonly WaveformArrayNames AdcMap =
        WaveformArrayNames.Parse("waveforms=/adc/samples,pedestal=/calib/pedestal,gain=/calib/gain,sampling_ns=/meta/dt");

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
        { "wf_adc.h5", "adc", null },
        { "wf.csv", null, "event" },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void Each_format_reads_to_the_float32_npz_samples_bit_for_bit(string file, string? map, string? csvColumns)
    {
        var options = new WaveformReadOptions
        {
            Names = map is null ? WaveformArrayNames.Default : AdcMap,
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
