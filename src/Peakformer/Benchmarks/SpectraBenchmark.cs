using Peakformer.Engine.Kernels;
using Peakformer.Engine.Threading;
using Peakformer.Progress;

namespace Peakformer.Benchmarks;

/// <summary>
/// The spectra suite of <c>peakformer bench</c>: the spectrum CNN's training and inference spectra/s beside its PyTorch
/// twin (bench/peers/spectrum_cnn_peer.py) and ONNX Runtime, at each thread count; then the same model trained with
/// bfloat16 matrix products (`train --precision bf16`, a fresh copy from the same seed), a line of its own without peers.
/// </summary>
public static class SpectraBenchmark
{
    public static void Run(EngineBenchmarkSettings settings, EngineBenchmarkReport report, IProgressReporter progress)
    {
        var peers = new PeerRunner(settings.Python, settings.RepositoryRoot, settings.SharedBench);
        bool torch = settings.Peers && peers.Available("numpy", "torch");
        if (settings.Peers && !torch) progress.Note($"no PyTorch spectrum CNN peer: {settings.Python} with numpy and torch is not available");
        int previous = WorkerPool.Shared.Threads;
        try
        {
            foreach (int threads in settings.Threads)
            {
                WorkerPool.SetSharedThreads(threads);
                var (model, harness, spectra) = SpectrumCnnHarness.Create();
                using var onnx = SpectrumCnnHarness.OnnxPeer(model, spectra, threads);
                ModelLine.Run(settings, model.Kind, "spectrum CNN", harness,
                    torch ? () => peers.SpectrumCnn(threads, settings.TrialSeconds).GetValueOrDefault(SpectrumCnnHarness.PeerName) : null,
                    onnx, threads, report, progress, "spectra");
                var (bf16Model, bf16Harness, _) = SpectrumCnnHarness.Create();
                var before = KernelSettings.Precision;
                KernelSettings.Precision = MatrixPrecision.Bf16;
                try
                {
                    ModelLine.Run(settings, $"{bf16Model.Kind} bf16", "spectrum CNN, bf16 products", bf16Harness, null, onnx, threads, report, progress, "spectra");
                }
                finally
                {
                    KernelSettings.Precision = before;
                }
            }
        }
        finally
        {
            WorkerPool.SetSharedThreads(previous);
        }
    }
}
