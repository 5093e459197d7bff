using System.Text.Json;
using Parquet.Serialization;
using Peakformer.Data.Waveforms;
using Peakformer.Evaluation;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Data;

/// <summary>
/// Monte-Carlo truth from HDF5 and Parquet: sim_truth.npz (written by <c>simulate</c>) converted by h5py and by
/// parquet-wasm (tools/golden/make_waveform_formats.py, make_waveform_parquet.mjs) must read to the same truth
/// arrays, and count and evaluate on them must give the .npz's results exactly.
/// </summary>
public class TruthFormatTests
{
    public static TheoryData<string> Converted => new() { "sim_truth.h5", "sim_truth.parquet" };

    [Theory]
    [MemberData(nameof(Converted))]
    public void Truth_arrays_read_as_from_the_npz(string file)
    {
        using var npz = WaveformDataset.Open(GoldenFiles.Path("sim_truth.npz"));
        using var other = WaveformDataset.Open(GoldenFiles.Path(file));
        Assert.True(other.HasTruth);
        Assert.Equal((npz.Count, npz.Samples, npz.SamplingNs), (other.Count, other.Samples, other.SamplingNs));
        Assert.Equal(npz.ReadWaveforms(0, npz.Count), other.ReadWaveforms(0, other.Count));
        Assert.Equal(npz.ElectronOffsets, other.ElectronOffsets);
        Assert.Equal(npz.ElectronTimeNs, other.ElectronTimeNs);
        Assert.Equal(npz.ElectronPeakSample, other.ElectronPeakSample);
        Assert.Equal(npz.ElectronCluster, other.ElectronCluster);
        Assert.Equal(npz.ElectronTag, other.ElectronTag);
        Assert.Equal(npz.Particle, other.Particle);
        Assert.Equal(npz.HasParticles, other.HasParticles);
        Assert.Equal(npz.MomentumGeV, other.MomentumGeV);
        Assert.Equal(npz.BetaGamma, other.BetaGamma);
        Assert.Equal(npz.TrackLengthCm, other.TrackLengthCm);
        Assert.Equal(npz.Clusters, other.Clusters);
        Assert.Equal(npz.ConfigJson, other.ConfigJson);
        Assert.Equal(50, other.CrossingNs); // the generator's trigger_offset_ns, from the carried config
        // Not trivially equal: the set has electrons, two particle kinds and clusters.
        Assert.True(npz.ElectronOffsets[^1] > 100 && npz.Particle.Distinct().Count() == 2 && npz.Clusters.All(c => c > 0));
    }

    [Theory]
    [MemberData(nameof(Converted))]
    public void Count_and_evaluate_give_the_npz_results(string file)
    {
        var progress = new Progress.NullProgress();
        string Peaks(string data) => Json(PeakEvaluation.Run(new EvaluationSettings { DataPath = GoldenFiles.Path(data), Classical = ["deriv", "d2"], ExampleWaveforms = 0 }, progress) with { Data = "", Seconds = 0 });
        string Counts(string data) => Json(CountEvaluation.Run(new CountEvaluationSettings { DataPath = GoldenFiles.Path(data), Classical = ["deriv"], MomentumBins = 2 }, progress) with { Data = "", Seconds = 0 });
        string peaks = Peaks("sim_truth.npz"), counts = Counts("sim_truth.npz");
        Assert.Equal(peaks, Peaks(file));
        Assert.Equal(counts, Counts(file));
        // The comparison is of real figures: truth peaks were matched and clusters counted from truth peaks.
        Assert.Contains("\"Matched\":", peaks);
        Assert.DoesNotContain("\"Matched\":0,", peaks);
        Assert.Contains("\"truth peaks", counts, StringComparison.OrdinalIgnoreCase);
    }

    private sealed class Renamed
    {
        public float[]? samples { get; set; }
        public float[]? t { get; set; }
        public int[]? peak { get; set; }
        public int[]? cl { get; set; }
        public int[]? tag { get; set; }
        public int ncl { get; set; }
    }

    private const string Map = "waveforms=samples,electron_time_ns=t,electron_peak_sample=peak,electron_cluster=cl,electron_tag=tag,n_clusters=ncl";

    [Fact]
    public async Task Parquet_truth_columns_are_renamed_with_map_and_an_empty_list_is_a_waveform_without_electrons()
    {
        using var tmp = new TempFolder();
        string path = tmp.File("renamed.parquet");
        await ParquetSerializer.SerializeAsync(new[]
        {
            new Renamed { samples = [0, 1, 2, 3], t = [1.5f, 0.5f], peak = [3, 1], cl = [0, 1], tag = [0, 0], ncl = 2 },
            new Renamed { samples = [0, 0, 0, 0], t = [], peak = [], cl = [], tag = [], ncl = 0 },
            new Renamed { samples = [1, 1, 1, 1], t = [1f], peak = [2], cl = [0], tag = [1], ncl = 1 },
        }, path);
        using var data = WaveformDataset.Open(path, new WaveformReadOptions { Names = WaveformArrayNames.Parse(Map), SamplingNs = 0.5 });
        Assert.True(data.HasTruth);
        Assert.Equal([0L, 2, 2, 3], data.ElectronOffsets);
        Assert.Equal([1.5, 0.5, 1.0], data.ElectronTimeNs);
        Assert.Equal([1, 3], data.TruthPeaks(0));
        Assert.Empty(data.TruthPeaks(1));
        Assert.Equal([2L, 0, 1], data.Clusters);
        Assert.False(data.HasParticles);
    }

    [Fact]
    public async Task Bad_truth_is_a_one_line_error_naming_file_array_expected_and_found()
    {
        using var tmp = new TempFolder();
        string path = tmp.File("ragged.parquet");
        await ParquetSerializer.SerializeAsync(new[]
        {
            new Renamed { samples = [0, 1], t = [1f], peak = [1], cl = [0], tag = [0], ncl = 1 },
            new Renamed { samples = [0, 1], t = [1f, 2f], peak = [1], cl = [0, 0], tag = [0, 0], ncl = 1 },
        }, path);
        Expect(path, new WaveformReadOptions { Names = WaveformArrayNames.Parse(Map) },
            "ragged.parquet [peak]: waveform 1: expected 2 values like its t list, found 1");
        // HDF5: a per-waveform dataset of another length, and a float dataset where integers are needed.
        Expect(GoldenFiles.Path("sim_truth.h5"), new WaveformReadOptions { Names = WaveformArrayNames.Parse("n_clusters=electron_time_ns") },
            "sim_truth.h5 [/electron_time_ns]: shape: expected 12 values, found 392");
        Expect(GoldenFiles.Path("sim_truth.h5"), new WaveformReadOptions { Names = WaveformArrayNames.Parse("electron_cluster=momentum_gev") },
            "sim_truth.h5 [/momentum_gev]: shape: expected 392 values, found 12");
        Expect(GoldenFiles.Path("sim_truth.parquet"), new WaveformReadOptions { Names = WaveformArrayNames.Parse("electron_cluster=electron_time_ns") },
            "sim_truth.parquet [electron_time_ns]: type: expected integers, found a list of float32");
        Expect(GoldenFiles.Path("sim_truth.parquet"), new WaveformReadOptions { Names = WaveformArrayNames.Parse("electron_tag=tags") },
            "sim_truth.parquet: expected column 'tags' with the other truth columns (rename with --map), found none");
        // Footers that declare more than a row group can hold (tools/golden/make_parquet_footer_golden.py): refused
        // from the sizes, before a page is read.
        Expect(GoldenFiles.Path("truth_scalar_values.parquet"), WaveformReadOptions.None,
            "truth_scalar_values.parquet [momentum_gev]: row group 0: expected 5 values (one per waveform) in at most 1048656 bytes, found 1000000 values in");
        Expect(GoldenFiles.Path("truth_list_bytes.parquet"), WaveformReadOptions.None,
            "truth_list_bytes.parquet [electron_time_ns]: row group 0: expected at most 16777216 values in 268435456 bytes per row group");
    }

    private static void Expect(string path, WaveformReadOptions options, string message)
    {
        var e = Assert.Throws<InputException>(() => WaveformDataset.Open(path, options).Dispose());
        Assert.True(e.Message.Contains(message), e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, new JsonSerializerOptions { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals });
}
