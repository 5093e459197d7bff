using System.Diagnostics;
using System.Text.Json;
using Peakformer.Engine.Kernels;

namespace Peakformer.Benchmarks;

/// <summary>One kernel tier's engine figures at one thread count, and how the run was made (its environment).</summary>
public sealed record TierFigure(string Kernels, string ProducedBy, int Threads, double? MatMulGFlops, double TrainSamplesPerSecond,
    double InferSamplesPerSecond, double AllocatedBytesPerStep);

/// <summary>
/// <c>bench --kernels all</c>: the engine suite once per supported tier, each in a child process, so a narrower tier
/// runs on a CPU that lacks the wider instructions. Forcing a tier alone (PEAKFORMER_KERNELS) would still let the JIT
/// use this CPU's wider encodings, so tiers below the best also get DOTNET_EnableAVX512=0 (Vector256) or
/// DOTNET_EnableAVX2=0 (Vector128), the runtime's own switches; the reference tier is only forced.
/// </summary>
public static class TierComparison
{
    /// <summary>Each supported tier, widest first, with the environment its child process runs under.</summary>
    public static IReadOnlyList<(KernelVariant Tier, IReadOnlyDictionary<string, string> Environment)> Plan()
    {
        var best = KernelSettings.Best;
        var plan = new List<(KernelVariant, IReadOnlyDictionary<string, string>)>();
        foreach (var tier in KernelSettings.Supported.OrderDescending())
        {
            var env = new Dictionary<string, string>();
            if (tier < best && tier == KernelVariant.Vector256) env["DOTNET_EnableAVX512"] = "0";
            if (tier < best && tier == KernelVariant.Vector128 && KernelSettings.IsSupported(KernelVariant.Vector256)) env["DOTNET_EnableAVX2"] = "0";
            env[KernelSettings.EnvironmentVariable] = KernelSettings.Name(tier);
            plan.Add((tier, env));
        }
        return plan;
    }

    /// <summary>Runs <paramref name="command"/> (this program and its bench arguments, which must end in --json PATH)
    /// once per tier of <see cref="Plan"/> and reads the figures back.</summary>
    public static List<TierFigure> Run(IReadOnlyList<string> command, string jsonPath, Action<string> note)
    {
        var figures = new List<TierFigure>();
        foreach (var (tier, env) in Plan())
        {
            string producedBy = string.Join(" ", env.Select(kv => $"{kv.Key}={kv.Value}"));
            note($"kernels {KernelSettings.Name(tier)}: {producedBy}");
            var info = new ProcessStartInfo(command[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in command.Skip(1)) info.ArgumentList.Add(a);
            foreach (var (k, v) in env) info.Environment[k] = v;
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"bench for kernels {KernelSettings.Name(tier)} ({producedBy}) failed (exit {process.ExitCode}): {error.Result.Trim()} {output.Result.Trim()}");
            figures.AddRange(Read(jsonPath, producedBy));
        }
        return figures;
    }

    /// <summary>The 1024^3 matrix multiply and the window transformer of one report written with --json.</summary>
    private static IEnumerable<TierFigure> Read(string jsonPath, string producedBy)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(jsonPath));
        var root = doc.RootElement;
        string kernels = root.GetProperty("kernel_variant").GetString()!;
        var matmul = root.GetProperty("mat_mul").EnumerateArray()
            .Where(f => f.GetProperty("m").GetInt32() == 1024 && f.GetProperty("n").GetInt32() == 1024 && f.GetProperty("k").GetInt32() == 1024)
            .ToDictionary(f => f.GetProperty("threads").GetInt32(), f => f.GetProperty("g_flops").GetDouble());
        // The engine suite also has the ViT lines; the tier table compares the window transformer.
        foreach (var m in root.GetProperty("models").EnumerateArray())
        {
            if (m.GetProperty("model").GetString() != DriftChamber.Models.DriftChamberModels.WindowTransformer.Name) continue;
            int threads = m.GetProperty("threads").GetInt32();
            yield return new TierFigure(kernels, producedBy, threads, matmul.TryGetValue(threads, out var g) ? g : null,
                m.GetProperty("train_samples_per_second").GetDouble(), m.GetProperty("infer_samples_per_second").GetDouble(),
                m.GetProperty("allocated_bytes_per_step").GetDouble());
        }
    }

    /// <summary>This program as a command line: the apphost, or dotnet and the entry assembly.</summary>
    public static List<string> Self()
    {
        string host = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this program is unknown.");
        var command = new List<string> { host };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") command.Add(System.Reflection.Assembly.GetEntryAssembly()!.Location);
        return command;
    }
}
