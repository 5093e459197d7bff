using Peakformer.DriftChamber.Models;
using Peakformer.Engine.Autograd;
using Peakformer.Engine.Kernels;
using Peakformer.Engine.Layers;
using Peakformer.Learning.Models;
using Peakformer.Engine.Optimizers;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Engine.Threading;
using Peakformer.Progress;
using Peakformer.Vision.Models;

namespace Peakformer.Benchmarks;

/// <summary>
/// The engine suite of <c>peakformer bench</c>: matrix-multiply GFLOP/s on the shapes a window transformer uses,
/// training/inference samples/s of the reference window transformer, and images/s of the Vision Transformer on square
/// and on 1D patches, each beside its peer at the same thread count.
/// </summary>
public static class EngineBenchmark
{
    public const string WindowTransformerPeerName = "window-transformer L=15 B=256";

    /// <summary>A report with only the machine description, for suites without peers.</summary>
    public static EngineBenchmarkReport Empty() => new() { Machine = MachineInfo.Current(), KernelVariant = KernelSettings.Describe(KernelSettings.Variant) };

    public static EngineBenchmarkReport Run(EngineBenchmarkSettings settings, IProgressReporter progress)
    {
        var peers = new PeerRunner(settings.Python, settings.RepositoryRoot, settings.SharedBench);
        bool numpy = settings.Peers && peers.Available("numpy");
        bool torch = settings.Peers && settings.SharedBench is not null && peers.Available("numpy", "torch");
        bool torchvision = settings.Peers && peers.Available("torch", "torchvision");
        string? note = !settings.Peers ? "peers not requested"
            : !numpy ? $"no peer: {settings.Python} with NumPy is not available (apt-get install -y python3-torch libopenblas0-pthread)"
            : !torch ? "no PyTorch peer: python3-torch or ../shared/bench/torch_peer.py is missing"
            : !torchvision ? "no PyTorch ViT peer: python3-torchvision is missing" : null;
        if (note is not null) progress.Note(note);
        var report = new EngineBenchmarkReport
        {
            Machine = MachineInfo.Current(),
            KernelVariant = KernelSettings.Describe(KernelSettings.Variant),
            PeerEnvironment = numpy ? peers.Environment(1) : new Dictionary<string, string>(),
            PeerNote = note,
        };
        int previous = WorkerPool.Shared.Threads;
        try
        {
            foreach (int threads in settings.Threads)
            {
                WorkerPool.SetSharedThreads(threads);
                if (!settings.VisionOnly)
                {
                    MatMul(settings, peers, numpy, threads, report, progress);
                    WindowTransformer(settings, peers, torch, threads, report, progress);
                }
                VisionTransformerLine(settings, PatchGeometry.Square, peers, torchvision, threads, report, progress);
                VisionTransformerLine(settings, PatchGeometry.Raster, peers, torchvision, threads, report, progress);
            }
        }
        finally
        {
            WorkerPool.SetSharedThreads(previous);
        }
        return report;
    }

    private static void MatMul(EngineBenchmarkSettings s, PeerRunner peers, bool usePeer, int threads, EngineBenchmarkReport report, IProgressReporter progress)
    {
        var shapes = EngineBenchmarkSettings.MatMulShapes;
        using var task = progress.Start($"matmul, {threads} thread(s)", s.Rounds * shapes.Count, "trials");
        var ours = shapes.Select(_ => new List<double>()).ToArray();
        var theirs = shapes.Select(_ => new List<double>()).ToArray();
        var rng = new Rng(1);
        var operands = shapes.Select(sh => (A: Random(rng, sh.M * sh.K), B: Random(rng, sh.K * sh.N), C: new float[sh.M * sh.N])).ToArray();
        for (int round = 0; round < s.Rounds; round++)
        {
            // Alternate who goes first, so neither side always inherits the other's machine state.
            if (usePeer && round % 2 == 1) PeerMatMul();
            for (int i = 0; i < shapes.Count; i++)
            {
                var (m, n, k) = shapes[i];
                var (a, b, c) = operands[i];
                Measure.Settle();
                Gemm.Multiply(false, false, m, n, k, a, k, b, n, c, n);
                ours[i].Add(Measure.Rate(() =>
                {
                    Gemm.Multiply(false, false, m, n, k, a, k, b, n, c, n);
                    return 2L * m * n * k;
                }, s.TrialSeconds / 2) / 1e9);
                task.Advance(1, $"{m}x{n}x{k}: {ours[i][^1]:F1} GFLOP/s");
            }
            if (usePeer && round % 2 == 0) PeerMatMul();
        }

        void PeerMatMul()
        {
            Measure.Settle();
            foreach (var (m, n, k, g) in peers.MatMul(shapes, threads, s.TrialSeconds / 2))
                theirs[shapes.ToList().IndexOf((m, n, k))].Add(g);
        }
        for (int i = 0; i < shapes.Count; i++)
        {
            var (m, n, k) = shapes[i];
            report.MatMul.Add(new MatMulFigure(m, n, k, threads, Measure.Median(ours[i]), usePeer ? Measure.Median(theirs[i]) : null));
        }
    }

    private static void WindowTransformer(EngineBenchmarkSettings s, PeerRunner peers, bool usePeer, int threads, EngineBenchmarkReport report, IProgressReporter progress)
    {
        const int batch = 256;
        var rng = new Rng(0);
        var model = new WindowTransformer(new WindowTransformerConfig(), rng);
        var parameters = new ParameterSet(model);
        var optimizer = new AdamW(parameters, 3e-5f, weightDecay: 5e-4f);
        var x = Tensor.FromArray(Random(rng, batch * 15), new Shape(batch, 15));
        var y = Tensor.Zeros(batch);
        for (int i = 0; i < batch; i++) y.Data[i] = rng.NextDouble() < 0.5 ? 1f : 0f;
        var harness = new ModelHarness(model, optimizer, batch,
            tape => Ops.BceWithLogits(tape, model.Forward(tape, x), y),
            tape => model.Forward(tape, x));
        using var onnx = OnnxRuntimePeer.Exported(model, x.ToArray(), [batch, 15], threads);
        ModelLine.Run(s, model.Kind, "window transformer", harness, usePeer ? () => peers.Torch(threads).GetValueOrDefault(WindowTransformerPeerName) : null,
            onnx, threads, report, progress);
    }

    /// <summary>The Vision Transformer (square or 1D patches) beside bench/peers/vit_peer.py; images/s.</summary>
    private static void VisionTransformerLine(EngineBenchmarkSettings s, PatchGeometry geometry, PeerRunner peers, bool usePeer, int threads,
        EngineBenchmarkReport report, IProgressReporter progress)
    {
        var (model, harness) = VisionTransformerHarness.Create(geometry);
        string kind = model.Kind;
        using var onnx = VisionTransformerHarness.OnnxPeer(model, threads);
        ModelLine.Run(s, kind, kind, harness, usePeer ? () => peers.Vit(threads, s.TrialSeconds, kind).GetValueOrDefault(VisionTransformerHarness.PeerName(kind)) : null,
            onnx, threads, report, progress);
    }

    private static float[] Random(Rng rng, int n)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)rng.NextNormal();
        return a;
    }
}
