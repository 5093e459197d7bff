using Parquet.Serialization;
using Peakformer.Data.Waveforms;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Data;

/// <summary>
/// The Parquet reader beyond the golden files (those are in <see cref="WaveformFormatTests"/>): other sample types,
/// and small broken files written here by Parquet.Net's serializer or cut from a golden, each a one-line error
/// naming the file, the column, what was expected and what was found.
/// </summary>
public class ParquetWaveformTests
{
    private sealed class FloatRow { public float[]? waveforms { get; set; } }
    private sealed class SamplesRow { public float[]? samples { get; set; } }
    private sealed class TextRow { public string[]? waveforms { get; set; } }
    private sealed class ScalarRow { public float waveforms { get; set; } }
    private sealed class U16Row { public ushort[]? waveforms { get; set; } }
    private sealed class AdcRow { public int[]? waveforms { get; set; } public double? pedestal { get; set; } public double gain { get; set; } public double sampling_ns { get; set; } }

    private static string Write<T>(TempFolder tmp, string name, params T[] rows)
    {
        string path = tmp.File(name);
        ParquetSerializer.SerializeAsync(rows, path).GetAwaiter().GetResult();
        return path;
    }

    private static float[] ReadAll(string path, WaveformReadOptions? options = null)
    {
        using var data = WaveformDataset.Open(path, options ?? WaveformReadOptions.None);
        return data.ReadWaveforms(0, data.Count);
    }

    [Fact]
    public void Int32_counts_with_pedestal_gain_and_sampling_columns_are_converted()
    {
        using var tmp = new TempFolder();
        string path = Write(tmp, "int32.parquet",
            new AdcRow { waveforms = [200, 456, 72], pedestal = 200, gain = 1.0 / 256, sampling_ns = 1.5 },
            new AdcRow { waveforms = [10, 10, 74], pedestal = 10, gain = 0.5, sampling_ns = 1.5 });
        using var data = WaveformDataset.Open(path);
        Assert.Equal((2, 3, 1.5), (data.Count, data.Samples, data.SamplingNs));
        // (adc - pedestal) * gain, closed form.
        Assert.Equal([0f, 1f, -0.5f, 0f, 0f, 32f], data.ReadWaveforms(0, 2));
        // uint16 counts above 32767 stay positive (pyarrow keeps NumPy's uint16 as a logical UINT_16).
        string u16 = Write(tmp, "u16.parquet", new U16Row { waveforms = [0, 40000, 65535] });
        Assert.Equal([0f, 40000f, 65535f], ReadAll(u16));
    }

    [Fact]
    public void Broken_files_are_one_line_errors_naming_file_column_expected_and_found()
    {
        using var tmp = new TempFolder();
        Expect(Write(tmp, "samples.parquet", new SamplesRow { samples = [1, 2] }),
            "samples.parquet: expected column 'waveforms' (rename with --map waveforms=COLUMN), found only samples");
        Expect(Write(tmp, "text.parquet", new TextRow { waveforms = ["1", "2"] }),
            "text.parquet [waveforms]: type: expected a list of float32, float64, int16, uint16 or int32, found a list of BYTE_ARRAY (UTF8)");
        Expect(Write(tmp, "scalar.parquet", new ScalarRow { waveforms = 1 }),
            "scalar.parquet [waveforms]: type: expected a list of numbers, one list per waveform, found a column of float32");
        Expect(Write(tmp, "ragged.parquet", new FloatRow { waveforms = [1, 2, 3] }, new FloatRow { waveforms = [1, 2] }),
            "ragged.parquet [waveforms]: waveform 1: expected 3 samples like waveform 0 (one record length per file), found 2");
        Expect(Write(tmp, "empty.parquet", new FloatRow { waveforms = [1, 2] }, new FloatRow { waveforms = [] }),
            "empty.parquet [waveforms]: waveform 1: expected a list of numbers, not empty and without nulls");
        Expect(Write(tmp, "nullped.parquet", new AdcRow { waveforms = [1], pedestal = 1, gain = 1, sampling_ns = 0.5 }, new AdcRow { waveforms = [1], pedestal = null, gain = 1, sampling_ns = 0.5 }),
            "nullped.parquet [pedestal]: waveform 1: expected a number in every row (no nulls), found null");
        Expect(Write(tmp, "twodt.parquet", new AdcRow { waveforms = [1], pedestal = 1, gain = 1, sampling_ns = 0.5 }, new AdcRow { waveforms = [1], pedestal = 1, gain = 1, sampling_ns = 1 }),
            "twodt.parquet [sampling_ns]: expected one sampling interval for the whole file (0.5 ns), found 1 too");
        Expect(GoldenFiles.Path("wf_adc.parquet"), "wf_adc.parquet: expected column '/adc/samples'",
            new WaveformReadOptions { Names = WaveformArrayNames.Parse("waveforms=/adc/samples") });

        byte[] golden = File.ReadAllBytes(GoldenFiles.Path("wf_f32.parquet"));
        string truncated = tmp.File("truncated.parquet");
        File.WriteAllBytes(truncated, golden[..(golden.Length / 2)]);
        Expect(truncated, "truncated.parquet: not a readable Parquet file or column, or truncated");
        string text = tmp.File("text2.parquet");
        File.WriteAllText(text, "not a Parquet file");
        Expect(text, "text2.parquet: not a readable Parquet file");
        // The footer kept, the pages zeroed: the footer's offsets point at nothing readable.
        byte[] zeroed = (byte[])golden.Clone();
        Array.Clear(zeroed, 4, golden.Length / 2);
        string damaged = tmp.File("zeroed.parquet");
        File.WriteAllBytes(damaged, zeroed);
        Expect(damaged, "zeroed.parquet");
    }

    [Fact]
    public void A_row_group_declaring_more_samples_than_the_cap_is_refused_before_it_is_read()
    {
        var e = Assert.Throws<InputException>(() => new ParquetWaveformSource(GoldenFiles.Path("wf_f32.parquet"), WaveformReadOptions.None, maxGroupValues: 1000));
        Assert.Contains("wf_f32.parquet [waveforms]: row group 0: expected at most 1000 samples per row group", e.Message);
        Assert.Contains("found 3600 samples", e.Message);
    }

    [Fact]
    public void A_footer_declaring_fewer_values_than_rows_or_more_than_the_cap_is_refused_before_any_page_is_read()
    {
        // wf_f32.parquet with only the footer's num_values of 'waveforms' changed by a Thrift codec of its own
        // (tools/golden/make_parquet_footer_golden.py): 2 values for 3 rows, and 2^24 + 1 at the real cap.
        Expect(GoldenFiles.Path("wf_rows_gt_values.parquet"),
            "wf_rows_gt_values.parquet [waveforms]: row group 0: expected at most 2 rows (one sample or more each), found 3 rows declared");
        Expect(GoldenFiles.Path("wf_over_cap.parquet"),
            "wf_over_cap.parquet [waveforms]: row group 0: expected at most 16777216 samples per row group (write smaller row groups, e.g. pyarrow's row_group_size), found 16777217 samples");
    }

    [Fact]
    public void The_row_group_cap_keeps_one_held_group_within_a_quarter_gigabyte()
    {
        // float32: 4 bytes decoded + 8 of levels + 4 of amplitude per sample, 2^24 samples = 2^28 bytes.
        Assert.Equal(1L << 24, ParquetWaveformSource.MaxGroupValues);
        Assert.Equal(ParquetWaveformSource.MaxGroupValues * 16, ParquetWaveformSource.MaxGroupBytes);
    }

    [Fact]
    public async Task Pedestal_and_gain_are_read_per_row_group_and_a_bad_one_names_its_group()
    {
        using var tmp = new TempFolder();
        var oneRowPerGroup = new Parquet.ParquetOptions { RowGroupSize = 1 };
        string path = tmp.File("groups.parquet");
        await ParquetSerializer.SerializeAsync(new[]
        {
            new AdcRow { waveforms = [10, 12], pedestal = 10, gain = 0.5, sampling_ns = 0.5 },
            new AdcRow { waveforms = [4, 8], pedestal = 0, gain = 0.25, sampling_ns = 0.5 },
        }, path, oneRowPerGroup);
        // (adc - pedestal) * gain of each row, its own group's values.
        Assert.Equal([0f, 1f, 1f, 2f], ReadAll(path));
        string bad = tmp.File("badgain.parquet");
        await ParquetSerializer.SerializeAsync(new[]
        {
            new AdcRow { waveforms = [1], pedestal = 0, gain = 1, sampling_ns = 0.5 },
            new AdcRow { waveforms = [1], pedestal = 0, gain = 0, sampling_ns = 0.5 },
        }, bad, oneRowPerGroup);
        Expect(bad, "badgain.parquet (row group 1, from waveform 1): gain index 0: expected a finite, non-zero gain, found 0");
    }

    [Fact]
    public void Rows_across_row_groups_read_as_one_range()
    {
        // wf_adc.parquet holds rows 0-1 and 2 in two row groups: a range across them and single rows agree.
        var options = new WaveformReadOptions { Names = WaveformArrayNames.Parse("waveforms=adc") };
        var all = ReadAll(GoldenFiles.Path("wf_adc.parquet"), options);
        using var data = WaveformDataset.Open(GoldenFiles.Path("wf_adc.parquet"), options);
        Assert.Equal(all.AsSpan(1200).ToArray(), data.ReadWaveforms(1, 2));
        Assert.Equal(all.AsSpan(0, 1200).ToArray(), data.ReadWaveforms(0, 1));
        Assert.False(data.HasTruth);
    }

    private static void Expect(string path, string message, WaveformReadOptions? options = null)
    {
        var e = Assert.Throws<InputException>(() => ReadAll(path, options));
        Assert.True(e.Message.Contains(message), e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
