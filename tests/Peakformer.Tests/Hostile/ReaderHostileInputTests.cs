using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Peakformer.Data.Npy;
using Peakformer.Engine.Checkpoints;

namespace Peakformer.Tests.Hostile;

/// <summary>
/// Crafted hostile files, one per defect found in the readers, run through the commands that read them: each must
/// end in one clean "error:" line naming the file and field, exit code 1, in bounded time and memory. Golden facts
/// come from the formats: numpy.lib.format (header, max_header_size 10000), APPNOTE / Python's zipfile, which
/// np.load uses ("Bad CRC-32 for file"), and huggingface safetensors' Metadata::validate.
/// </summary>
[Collection(HostileCollection.Name)]
public class ReaderHostileInputTests(HostileFiles files)
{
    private readonly HostileFiles _f = files;

    // ---- npz: headers, sizes, zip ----

    [Theory]
    [InlineData(0xFFFFFFFFu)]
    [InlineData(0x7FFFFFFFu)]
    [InlineData(10001u)]
    public void Npy_header_length_beyond_numpys_limit_is_refused_before_allocating(uint length)
    {
        string bad = Npz(new CraftedEntry("waveforms.npy", NpyCraft.V2Declaring(length)));
        string error = Windows(bad);
        Has("[waveforms]: header length: expected at most 10000 bytes", error);
        Has($"found {length}", error);
    }

    [Theory]
    [InlineData("(1000000000000, 1200)")]
    [InlineData("(4294967296, 4294967296)")]
    [InlineData("(300, 2000000000)")]
    [InlineData("(9223372036854775807, 9223372036854775807, 9223372036854775807)")]
    public void Npy_shape_larger_than_its_entry_is_refused(string shape)
    {
        string bad = Npz(new CraftedEntry("waveforms.npy", NpyCraft.Array("<f4", shape, new byte[4800])));
        string error = Windows(bad);
        Has("[waveforms]:", error);
        Assert.True(error.Contains("entry size: expected") || error.Contains("bytes of data"), error);
    }

    [Fact]
    public void Npy_shape_that_is_not_integers_is_refused() =>
        Has("not a tuple of non-negative integers", Windows(Npz(new CraftedEntry("waveforms.npy", NpyCraft.Array("<f4", "(300, 2e9)", new byte[16])))));

    [Fact]
    public void Npy_header_quoting_a_newline_stays_one_line() =>
        Has("\\n", Windows(Npz(new CraftedEntry("waveforms.npy", NpyCraft.Header("{'descr': '<f4', 'fortran_order': False, 'sh\nape': (1,), }")))));

    [Fact]
    public void Npy_entry_longer_than_its_header_says_is_refused() =>
        Has("[sampling_ns]: entry size: expected 136 bytes", Windows(Rewrite(new CraftedEntry("sampling_ns.npy", NpyCraft.Doubles("()", 0.5).Concat(new byte[8]).ToArray()))));

    [Fact]
    public void Deflate_bomb_behind_a_small_declared_size_is_read_only_up_to_that_size()
    {
        // 256 MiB of zeros after a valid sampling_ns deflate to about 250 KB; the zip declares only the 136 bytes of
        // the valid entry, with their CRC. Python's zipfile reads exactly the declared size and so must we: the file
        // loads, in bounded memory, and nothing beyond the declared size is ever used.
        byte[] entry = NpyCraft.Doubles("()", 0.5);
        var bomb = Compressed(entry, 256L << 20);
        string bad = Rewrite(new CraftedEntry("sampling_ns.npy", entry) { RawCompressed = bomb });
        var (exit, _, error) = Bounded.Run(TimeSpan.FromSeconds(20), 64L << 20, "windows", "--in", bad, "--out", Out("w.csv"));
        Assert.True(exit == 0, error);
    }

    [Fact]
    public void Deflate_bomb_with_an_honest_huge_size_is_refused_from_the_header_before_inflating()
    {
        // The zip and the header agree on 32 Mi doubles (256 MiB); sampling_ns must hold one value.
        byte[] header = NpyCraft.Header("{'descr': '<f8', 'fortran_order': False, 'shape': (33554432,), }");
        var bomb = Compressed(header, 256L << 20);
        string bad = Rewrite(new CraftedEntry("sampling_ns.npy", header) { RawCompressed = bomb, DeclaredSize = header.Length + (256L << 20) });
        Has("[sampling_ns]: shape: expected one value, found 33554432 values", Windows(bad));
    }

    [Fact]
    public void A_size_the_zip_declares_beyond_what_its_bytes_can_hold_is_refused_before_any_allocation()
    {
        // 16 bytes stored in a small file cannot hold the 2 GiB of waveforms the zip and the header agree on: a reader
        // that trusted the declared size would allocate counts of that size before reading a byte.
        byte[] header = NpyCraft.Header("{'descr': '<f4', 'fortran_order': False, 'shape': (268435456, 2), }");
        string bad = Rewrite(new CraftedEntry("waveforms.npy", header.Concat(new byte[16]).ToArray()) { DeclaredSize = header.Length + (2L << 30) });
        Has("[waveforms]: entry size: expected at most", Windows(bad));
    }

    [Theory]
    [InlineData("/dev/zero")]
    [InlineData("fifo")]
    public void Inputs_that_are_devices_or_pipes_are_refused_without_reading(string input)
    {
        string path = input;
        if (input == "fifo")
        {
            path = Out("pipe");
            using var mkfifo = System.Diagnostics.Process.Start("mkfifo", path)!;
            mkfifo.WaitForExit();
        }
        Has("expected a regular file, found a device, pipe or socket", Simulate(path));
        Has("expected a regular file, found a device, pipe or socket", Windows(path));
        Has("expected a regular file, found a device, pipe or socket", Predict(path));
    }

    [Fact]
    public void Deeply_nested_yaml_is_refused_before_the_parser_can_exhaust_the_stack() =>
        Has(":1: expected a flat config (at most 32 levels of nesting), found 100000 levels", Simulate(Text("deep.yaml", "noise_rms: " + new string('[', 100_000))));

    [Fact]
    public void Corrupt_deflate_stream_is_a_clean_error()
    {
        var garbage = Enumerable.Range(0, 300).Select(i => (byte)(i * 37 + 11)).ToArray();
        byte[] entry = NpyCraft.Doubles("()", 0.5);
        string error = Windows(Rewrite(new CraftedEntry("sampling_ns.npy", entry) { RawCompressed = garbage }));
        Has("[sampling_ns]:", error);
    }

    [Theory]
    [InlineData("waveforms.npy")]
    [InlineData("electron_time_ns.npy")]
    public void Flipped_byte_that_numpy_rejects_with_bad_crc_is_refused(string entry)
    {
        // Python's zipfile (used by np.load) raises "Bad CRC-32 for file" on exactly this: data changed, CRC kept.
        var original = ZipCraft.Entries(_f.Data).Single(e => e.Name == entry);
        var flipped = original.Data.ToArray();
        flipped[^5] ^= 0x40;
        string error = Windows(Rewrite(new CraftedEntry(entry, flipped) { Crc = System.IO.Hashing.Crc32.HashToUInt32(original.Data) }));
        Has($"[{entry[..^4]}]: CRC-32: expected", error);
    }

    [Fact]
    public void Not_a_zip_and_a_truncated_zip_are_clean_errors()
    {
        string notZip = Path.Combine(_f.Folder.Path, "notzip.npz");
        File.WriteAllText(notZip, "hello");
        Has("not a .npz archive", Windows(notZip));
        string cut = Path.Combine(_f.Folder.Path, "cut.npz");
        var bytes = File.ReadAllBytes(_f.Data);
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);
        Has("cut.npz", Windows(cut));
    }

    // ---- datasets: metadata and truth ----

    [Theory]
    [InlineData("sampling_ns", "[sampling_ns]: shape: expected one value, found 0 values")]
    [InlineData("config", "[config]: shape: expected one value, found 0 values")]
    public void Empty_metadata_arrays_are_refused(string name, string message)
    {
        byte[] empty = name == "config" ? NpyCraft.Array("<U1", "(0,)", []) : NpyCraft.Doubles("(0,)");
        Has(message, Windows(Rewrite(new CraftedEntry(name + ".npy", empty))));
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(-0.5, "-0.5")]
    [InlineData(0.0, "0")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    public void Sampling_interval_must_be_positive_and_finite(double value, string shown) =>
        Has($"[sampling_ns]: index 0: expected a sampling interval in (0, 1e6] ns, found {shown}",
            Windows(Rewrite(new CraftedEntry("sampling_ns.npy", NpyCraft.Doubles("()", value)))));

    [Theory]
    [InlineData(99)]
    [InlineData(-1)]
    public void Unknown_particle_code_is_refused(long code) =>
        Has($"[particle]: index 2: expected a particle code 0 to 4 (pion, kaon, muon, proton, electron), found {code}",
            Windows(Rewrite(new CraftedEntry("particle.npy", NpyCraft.Longs("(4,)", 0, 1, code, 3)))));

    [Fact]
    public void Negative_cluster_count_is_refused() =>
        Has("[n_clusters]: index 1: expected a cluster count of zero or more, found -1",
            Windows(Rewrite(new CraftedEntry("n_clusters.npy", NpyCraft.Longs("(4,)", 10, -1, 12, 13)))));

    [Theory]
    [InlineData(1200)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void Peak_sample_outside_the_record_is_refused(int sample)
    {
        int[] peaks;
        using (var npz = new NpzReader(_f.Data)) peaks = npz.Read("electron_peak_sample").As<int>("electron_peak_sample");
        peaks[3] = sample;
        Has($"[electron_peak_sample]: index 3: expected a sample index in [0, 1200), found {sample}",
            Windows(Rewrite(new CraftedEntry("electron_peak_sample.npy", Encode(NpyArray.Of(peaks))))));
    }

    [Fact]
    public void Truth_array_of_the_wrong_length_is_refused_before_it_is_read() =>
        Has("[n_clusters]: expected 4 values, found 3",
            Windows(Rewrite(new CraftedEntry("n_clusters.npy", NpyCraft.Longs("(3,)", 1, 2, 3)))));

    [Fact]
    public void Evaluate_and_predict_report_a_damaged_dataset_the_same_way()
    {
        string bad = Rewrite(new CraftedEntry("particle.npy", NpyCraft.Longs("(4,)", 0, 1, 99, 3)));
        string report = Path.Combine(_f.Folder.Path, "report-" + Guid.NewGuid().ToString("N"));
        Has("[particle]: index 2", Bounded.CleanError("evaluate", "--data", bad, "--classical", "deriv", "--out", report));
        Has("[particle]: index 2", Bounded.CleanError("predict", "--in", bad, "--model", _f.Model, "--out", Out("p.csv")));
    }

    // ---- safetensors ----

    [Fact]
    public void Overlapping_tensors_are_refused() => Has("overlapping", Predict(Safe(tensors =>
    {
        var second = tensors.OrderBy(Begin).Skip(1).First();
        second["data_offsets"] = new JsonArray(Begin(second) - 4, End(second) - 4);
    })));

    [Theory]
    [InlineData(4)]
    [InlineData(2)]
    [InlineData(1)]
    public void Shifted_or_unaligned_offsets_leaving_a_hole_are_refused(int shift) =>
        Has("expected 0 (where the previous tensor ends), found " + shift + " (leaving a gap)", Predict(Safe(tensors =>
        {
            foreach (var t in tensors) t["data_offsets"] = new JsonArray(Begin(t) + shift, End(t) + shift);
        }, data => new byte[shift].Concat(data).ToArray())));

    [Theory]
    [InlineData("[0]")]
    [InlineData("[0, 4, 8]")]
    [InlineData("[]")]
    [InlineData("[\"0\", \"4\"]")]
    [InlineData("[-4, 4]")]
    [InlineData("{\"a\": 1}")]
    public void Data_offsets_that_are_not_two_integers_are_refused(string offsets) =>
        Has("data_offsets: expected", Predict(Safe(tensors => tensors[0]["data_offsets"] = JsonNode.Parse(offsets))));

    [Fact]
    public void Trailing_bytes_after_the_last_tensor_are_refused() =>
        Has("bytes after the last tensor", Predict(Safe(_ => { }, data => data.Concat(new byte[12]).ToArray())));

    [Fact]
    public void Duplicate_keys_in_the_header_are_refused()
    {
        string bad = SafeText(json => json.Insert(1, "\"__metadata__\":{\"a\":\"b\"},"));
        Has("header JSON is corrupt", Predict(bad));
    }

    [Theory]
    [InlineData("5")]
    [InlineData("null")]
    [InlineData("{\"x\": 1}")]
    public void Non_string_metadata_values_are_refused(string value) =>
        Has("__metadata__ 'format': expected a string", Predict(SafeText(json => json.Replace("\"format\":\"pt\"", "\"format\":" + value))));

    [Theory]
    [InlineData("[-1, 8]", "shape[0]: expected a non-negative integer, found -1")]
    [InlineData("[100000, 100000]", "expected at most 2147483647 elements")]
    [InlineData("[2147483648]", "expected at most 2147483647 elements")]
    [InlineData("[1.5]", "shape[0]: expected a non-negative integer, found 1.5")]
    [InlineData("[1,1,1,1,1,1,1]", "expected at most 6 dimensions")]
    public void Negative_or_huge_dimensions_are_refused(string shape, string message)
    {
        string error = Predict(Safe(tensors => tensors[0]["shape"] = JsonNode.Parse(shape)));
        Has(message, error);
        Has("tensor '", error);
    }

    [Theory]
    [InlineData("F16")]
    [InlineData("F64")]
    [InlineData("BF16")]
    public void Dtypes_other_than_f32_are_refused_naming_the_tensor(string dtype) =>
        Assert.Matches($"tensor '[^']+' has dtype {dtype}; only F32", Predict(Safe(tensors => tensors[0]["dtype"] = dtype)));

    [Theory]
    [InlineData(ulong.MaxValue)]
    [InlineData(1UL << 40)]
    [InlineData(0UL)]
    public void Header_length_beyond_the_file_is_refused(ulong length)
    {
        var bytes = File.ReadAllBytes(_f.Model);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, length == 0 ? (ulong)bytes.Length : length);
        string bad = Out("len.safetensors");
        File.WriteAllBytes(bad, bytes);
        Has("header length", Predict(bad));
    }

    // ---- training state (.state) ----

    [Theory]
    [InlineData("{", "__metadata__.train_state: expected the JSON of a training state, found Expected depth to be zero")]
    [InlineData("null", "__metadata__.train_state: expected a training state object, found null")]
    [InlineData("[]", "__metadata__.train_state: expected the JSON of a training state")]
    public void Damaged_training_state_json_is_a_clean_error(string json, string message) =>
        Has(message, Resume(state => json));

    [Theory]
    [InlineData("History", "null", "train_state.History: expected the JSON of a training state, found The constructor parameter 'History' on type 'TrainState' doesn't allow null values")]
    [InlineData("History", "[null]", "History[0]: expected the record of epoch 1, found null")]
    [InlineData("History", "[]", "History: expected 1 epoch records (one per epoch done), found 0")]
    [InlineData("LearningRate", "\"fast\"", "train_state.LearningRate: expected the JSON of a training state")]
    [InlineData("LearningRate", "-1", "LearningRate: expected a positive finite number, found -1")]
    [InlineData("Epoch", "-3", "Epoch: expected zero or more, found -3")]
    [InlineData("BestEpoch", "7", "BestEpoch: expected in [0, Epoch = 1], found 7")]
    [InlineData("OptimizerSteps", "1e40", "train_state.OptimizerSteps: expected the JSON of a training state")]
    public void Damaged_training_state_fields_are_named(string field, string value, string message) =>
        Has(message, Resume(json =>
        {
            var node = JsonNode.Parse(json)!.AsObject();
            node[field] = JsonNode.Parse(value);
            return node.ToJsonString();
        }));

    [Fact]
    public void Missing_training_state_field_is_named() =>
        Has("train_state: expected the JSON of a training state, found JSON deserialization for type 'TrainState' was missing required properties including: 'Saved'", Resume(json =>
        {
            var node = JsonNode.Parse(json)!.AsObject();
            node.Remove("Saved");
            return node.ToJsonString();
        }));

    [Fact]
    public void Truncated_training_state_is_a_clean_error()
    {
        string model = Out("trunc.safetensors");
        File.Copy(_f.Model, model);
        var bytes = File.ReadAllBytes(_f.State);
        File.WriteAllBytes(model + ".state", bytes[..(bytes.Length - 10)]);
        Has("trunc.safetensors.state", Bounded.CleanError(_f.Resume(model)));
    }

    // ---- simulation configs ----

    [Theory]
    [InlineData("{\"samples\": \"many\"}", "samples: expected a value of the field's type")]
    [InlineData("{\"samples\": [1, 2]}", "samples: expected a value of the field's type")]
    [InlineData("{\"noise_rms\": {\"a\": 1}}", "noise_rms: expected a value of the field's type")]
    [InlineData("{\"front_end\": 1}", "front_end: expected a value of the field's type")]
    [InlineData("{\"samples\": 1.5}", "samples: expected a value of the field's type")]
    [InlineData("{\"samples\": 100, \"samples\": 200}", "invalid JSON")]
    [InlineData("{\"cell_radius_cm\": 1e9}", "cell_radius_cm: expected a drift-cell radius in (0, 10] cm (IDEA: 0.65 cm), found 1000000000")]
    [InlineData("{\"samples\": 100000000}", "samples: expected 32 to 100000 samples per waveform, found 100000000")]
    [InlineData("{\"cluster_size_max\": 2000000000}", "cluster_size_max: expected 1 to 1000 electrons per cluster (Fischle: 35), found 2000000000")]
    [InlineData("[1, 2]", "expected a JSON object of config keys")]
    public void Json_config_errors_name_the_field(string json, string message) => Has(message, Simulate(Config("c.json", json)));

    [Theory]
    [InlineData("? [a, b]\n: 1\n", ":1: key: expected a config key (plain text), found a list or mapping used as a key")]
    [InlineData("{a: 1}: 2\n", ":1: key: expected a config key (plain text), found a list or mapping used as a key")]
    [InlineData("samples: 100\nsamples: 200\n", "invalid YAML")]
    [InlineData("noise_rms: NaN\n", ":1: noise_rms: expected a finite number, found NaN")]
    [InlineData("noise_rms: .nan\n", "noise_rms: expected a value of the field's type")]
    [InlineData("sampling_ns: -Infinity\n", ":1: sampling_ns: expected a finite number, found -Infinity")]
    [InlineData("samples: 100000000\n", "samples: expected 32 to 100000 samples per waveform, found 100000000")]
    [InlineData("cell_radius_cm: 1e9\n", "cell_radius_cm: expected a drift-cell radius in (0, 10] cm")]
    [InlineData("cluster_size_max: 2000000000\n", "cluster_size_max: expected 1 to 1000 electrons per cluster")]
    [InlineData("samples: 600\n{{{{{{{front_end: false\nnoise_rms: 0.03\n", "invalid YAML")]
    [InlineData("samples: 1e999\n", ":1: samples: expected a finite number, found 1e999")]
    public void Yaml_config_errors_name_the_line_and_field(string yaml, string message) => Has(message, Simulate(Config("c.yaml", yaml)));

    [Theory]
    [InlineData("noise_rms=NaN")]
    [InlineData("noise_rms=Infinity")]
    [InlineData("noise_rms=-Infinity")]
    [InlineData("noise_rms=1e999")]
    public void Non_finite_set_values_are_refused(string set) =>
        Has($"--set: noise_rms: expected a finite number, found {set[10..]}",
            Bounded.CleanError("simulate", "--events", "1", "--set", set, "--out", Out("x.npz")));

    // ---- window CSV ----

    [Theory]
    [InlineData("3e38")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-1e39")]
    [InlineData("3e9")]
    public void Absurd_or_non_finite_csv_cells_name_the_line_and_column(string value)
    {
        var lines = File.ReadAllLines(_f.Windows);
        var cells = lines[2].Split(',');
        cells[8] = value;
        lines[2] = string.Join(',', cells);
        string bad = Out("w.csv");
        File.WriteAllLines(bad, lines);
        Has($"w.csv:3: Time3: expected a finite number within +-1E+09, found '{value}'", Predict(bad, input: true));
    }

    // ---- helpers ----

    /// <summary>Assert.Contains that shows the whole error line when it fails.</summary>
    private static void Has(string expected, string error) => Assert.True(error.Contains(expected, StringComparison.Ordinal), $"expected '{expected}' in: {error}");

    private string Text(string name, string text)
    {
        string path = Out(name);
        File.WriteAllText(path, text);
        return path;
    }

    private string Out(string name) => Path.Combine(_f.Folder.Path, Guid.NewGuid().ToString("N")[..8] + "-" + name);

    private string Windows(string npz) => Bounded.CleanError("windows", "--in", npz, "--out", Out("w.csv"));

    private string Simulate(string config) => Bounded.CleanError("simulate", "--config", config, "--events", "1", "--out", Out("x.npz"));

    /// <summary>predict with a damaged model (on the valid windows), or the valid model on a damaged input.</summary>
    private string Predict(string file, bool input = false) =>
        Bounded.CleanError("predict", "--model", input ? _f.Model : file, "--in", input ? file : _f.Windows, "--out", Out("s.csv"));

    private string Npz(params CraftedEntry[] entries)
    {
        string path = Out("bad.npz");
        ZipCraft.Write(path, entries);
        return path;
    }

    private string Rewrite(params CraftedEntry[] replacements)
    {
        string path = Out("bad.npz");
        ZipCraft.Rewrite(_f.Data, path, replacements);
        return path;
    }

    private string Config(string name, string text)
    {
        string path = Out(name);
        File.WriteAllText(path, text);
        return path;
    }

    private static byte[] Encode(NpyArray array)
    {
        var m = new MemoryStream();
        NpyFormat.Write(m, array);
        return m.ToArray();
    }

    /// <summary>Deflate of the header followed by <paramref name="zeros"/> zero bytes.</summary>
    private static byte[] Compressed(byte[] header, long zeros)
    {
        var m = new MemoryStream();
        var block = new byte[1 << 20];
        using (var d = new DeflateStream(m, CompressionLevel.Optimal, leaveOpen: true))
        {
            d.Write(header);
            for (long left = zeros; left > 0; left -= block.Length) d.Write(block, 0, (int)Math.Min(block.Length, left));
        }
        return m.ToArray();
    }

    private static long Begin(JsonObject t) => t["data_offsets"]![0]!.GetValue<long>();
    private static long End(JsonObject t) => t["data_offsets"]![1]!.GetValue<long>();

    /// <summary>The valid model with its header's tensor entries edited (and its data section replaced).</summary>
    private string Safe(Action<List<JsonObject>> edit, Func<byte[], byte[]>? data = null)
    {
        var (json, body) = SplitSafe(File.ReadAllBytes(_f.Model));
        var header = JsonNode.Parse(json)!.AsObject();
        edit(header.Where(kv => kv.Key != "__metadata__").Select(kv => kv.Value!.AsObject()).ToList());
        return WriteSafe(header.ToJsonString(), data is null ? body : data(body));
    }

    private string SafeText(Func<string, string> edit)
    {
        var (json, body) = SplitSafe(File.ReadAllBytes(_f.Model));
        return WriteSafe(edit(json.TrimEnd()), body);
    }

    private static (string Json, byte[] Body) SplitSafe(byte[] bytes)
    {
        int n = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        return (Encoding.UTF8.GetString(bytes, 8, n), bytes[(8 + n)..]);
    }

    private string WriteSafe(string json, byte[] body)
    {
        var header = Encoding.UTF8.GetBytes(json);
        var bytes = new byte[8 + header.Length + body.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        body.CopyTo(bytes, 8 + header.Length);
        string path = Out("bad.safetensors");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>train --resume on a copy of the model whose .state has its train_state JSON edited.</summary>
    private string Resume(Func<string, string> edit)
    {
        string model = Out("m.safetensors");
        File.Copy(_f.Model, model);
        var (tensors, metadata) = SafeTensorsFile.Read(_f.State);
        var changed = metadata.ToDictionary(kv => kv.Key, kv => kv.Value);
        changed["train_state"] = edit(changed["train_state"]);
        SafeTensorsFile.Write(model + ".state", tensors, changed);
        string error = Bounded.CleanError(_f.Resume(model));
        Has("m.safetensors.state", error);
        return error;
    }
}
