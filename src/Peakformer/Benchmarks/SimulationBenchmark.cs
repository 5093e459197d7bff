using Peakformer.Data.Waveforms;
using Peakformer.DriftChamber.Physics;
using Peakformer.DriftChamber.Simulation;
using Peakformer.Engine.Threading;
using Peakformer.Progress;

namespace Peakformer.Benchmarks;

/// <summary>
/// The simulate suite of <c>peakformer bench</c>: fcc waveforms per second with full truth, generated into
/// memory (the simulator alone) and written to a temporary .npz (end to end), per thread count.
/// </summary>
public static class SimulationBenchmark
{
    public static void Run(EngineBenchmarkSettings settings, EngineBenchmarkReport report, IProgressReporter progress, int events = 20000)
    {
        int previous = WorkerPool.Shared.Threads;
        try
        {
            foreach (int threads in settings.Threads)
            {
                WorkerPool.SetSharedThreads(threads);
                var run = new SimulationRun(Presets.Get("fcc"), BeamSpec.Single(Particle.Pion, 5), events, 1);
                var memory = new List<double>();
                var file = new List<double>();
                for (int round = 0; round < settings.Rounds; round++)
                {
                    Measure.Settle();
                    memory.Add(Simulator.Run(run, new DiscardSink(), progress).EventsPerSecond);
                    Measure.Settle();
                    // A folder of its own, so nothing else in the temporary folder is touched.
                    string folder = Directory.CreateTempSubdirectory("peakformer-bench-").FullName, path = Path.Combine(folder, "bench.npz");
                    try
                    {
                        var clock = System.Diagnostics.Stopwatch.StartNew();
                        using (var writer = new DatasetWriter(path, run))
                        {
                            Simulator.Run(run, writer, progress);
                            writer.Commit();
                        }
                        file.Add(events / clock.Elapsed.TotalSeconds);
                    }
                    finally
                    {
                        Directory.Delete(folder, recursive: true);
                    }
                }
                report.Simulation.Add(new SimulationFigure("fcc", threads, events, Measure.Median(memory), Measure.Median(file)));
            }
        }
        finally
        {
            WorkerPool.SetSharedThreads(previous);
        }
    }

    private sealed class DiscardSink : IEventSink
    {
        public void Accept(ReadOnlySpan<float> waveforms, IReadOnlyList<SimulatedEvent> events) { }
    }
}
