using System.Diagnostics;
using System.Globalization;
using System.Runtime.Intrinsics.X86;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Peakformer.Benchmarks;

/// <summary>
/// Runs the Python peers (NumPy/OpenBLAS matrix multiply, the shared PyTorch model script) as child processes.
/// OpenBLAS 0.3.21 does not recognise recent Xeons and falls back to its generic "Prescott" kernels (about
/// 13 GFLOP/s here); on AVX-512 machines the peer is run with OPENBLAS_CORETYPE=SkylakeX unless the caller set
/// it, so it is measured at its best.
/// </summary>
public sealed partial class PeerRunner(string python, string repositoryRoot, string? sharedBench)
{
    public string Python { get; } = python;

    /// <summary>Environment given to every peer, recorded in the report.</summary>
    public IReadOnlyDictionary<string, string> Environment(int threads)
    {
        var env = new Dictionary<string, string>
        {
            ["OPENBLAS_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture),
            ["OMP_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture),
        };
        string? coreType = System.Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE");
        if (coreType is not null) env["OPENBLAS_CORETYPE"] = coreType;
        else if (Avx512F.IsSupported) env["OPENBLAS_CORETYPE"] = "SkylakeX";
        return env;
    }

    /// <summary>True when python3 can be started and import the given modules (e.g. numpy, torch, torchvision).</summary>
    public bool Available(params string[] modules) => Run(["-c", "import " + string.Join(", ", modules)], 1, TimeSpan.FromSeconds(60)).ExitCode == 0;

    public IReadOnlyList<(int M, int N, int K, double GFlops)> MatMul(IEnumerable<(int M, int N, int K)> shapes, int threads, double seconds)
    {
        string script = Path.Combine(repositoryRoot, "bench", "peers", "matmul_peer.py");
        var args = new List<string> { script, seconds.ToString(CultureInfo.InvariantCulture) };
        args.AddRange(shapes.Select(s => $"{s.M},{s.N},{s.K}"));
        var result = Run(args, threads, TimeSpan.FromMinutes(10));
        if (result.ExitCode != 0) throw new InvalidOperationException($"matmul peer failed (exit {result.ExitCode}): {result.Error.Trim()}");
        return result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            return (r.GetProperty("m").GetInt32(), r.GetProperty("n").GetInt32(), r.GetProperty("k").GetInt32(), r.GetProperty("gflops").GetDouble());
        }).ToList();
    }

    /// <summary>The shared PyTorch peer: samples/s for training and inference, keyed by model line.</summary>
    public IReadOnlyDictionary<string, (double Train, double Infer)> Torch(int threads)
    {
        if (sharedBench is null) throw new InvalidOperationException("The shared bench folder (../shared/bench) was not found.");
        return Models("PyTorch peer", [Path.Combine(sharedBench, "torch_peer.py"), threads.ToString(CultureInfo.InvariantCulture)], threads);
    }

    /// <summary>
    /// The PyTorch Vision Transformer peer (bench/peers/vit_peer.py): images/s for training and inference of the given
    /// lines ("vit", "vit1d"), keyed by model line as <see cref="Torch"/>'s.
    /// </summary>
    public IReadOnlyDictionary<string, (double Train, double Infer)> Vit(int threads, double seconds, params string[] models) =>
        Models("PyTorch ViT peer", [Path.Combine(repositoryRoot, "bench", "peers", "vit_peer.py"), threads.ToString(CultureInfo.InvariantCulture),
            seconds.ToString(CultureInfo.InvariantCulture), .. models], threads);

    /// <summary>The PyTorch spectrum CNN peer (bench/peers/spectrum_cnn_peer.py): spectra/s for training and inference.</summary>
    public IReadOnlyDictionary<string, (double Train, double Infer)> SpectrumCnn(int threads, double seconds) =>
        Models("PyTorch spectrum CNN peer", [Path.Combine(repositoryRoot, "bench", "peers", "spectrum_cnn_peer.py"),
            threads.ToString(CultureInfo.InvariantCulture), seconds.ToString(CultureInfo.InvariantCulture)], threads);

    /// <summary>Runs a model peer script and reads its "NAME: threads=T train X samples/s  infer Y samples/s" lines.</summary>
    private Dictionary<string, (double Train, double Infer)> Models(string what, IReadOnlyList<string> arguments, int threads)
    {
        // Run from outside a checkout (a copied build), the script is not beside the binary: say so, not a crash.
        if (!File.Exists(arguments[0]))
            throw new InputException($"bench: the {what} script {arguments[0]} was not found; run bench from the repository (./peakformer bench), or add --no-peers");
        var result = Run(arguments, threads, TimeSpan.FromMinutes(20));
        if (result.ExitCode != 0) throw new InvalidOperationException($"{what} failed (exit {result.ExitCode}): {result.Error.Trim()}");
        var rates = new Dictionary<string, (double, double)>();
        foreach (Match m in PeerLine().Matches(result.Output))
            rates[m.Groups["name"].Value.Trim()] = (ParseRate(m.Groups["train"].Value), ParseRate(m.Groups["infer"].Value));
        return rates;
    }

    private static double ParseRate(string text) => double.Parse(text.Replace(",", ""), CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<name>[^:]+): threads=\d+ train (?<train>[\d,\.]+) samples/s\s+infer (?<infer>[\d,\.]+) samples/s", RegexOptions.Multiline)]
    private static partial Regex PeerLine();

    private (int ExitCode, string Output, string Error) Run(IEnumerable<string> arguments, int threads, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        foreach (var (k, v) in Environment(threads)) info.Environment[k] = v;
        try
        {
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return (-1, "", $"timed out after {timeout}");
            }
            return (process.ExitCode, output.Result, error.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, "", e.Message);
        }
    }
}
