using System.Diagnostics;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Threading;
using Peakformer.Progress;

namespace Peakformer.DriftChamber.Simulation;

/// <summary>
/// Runs a simulation chunk by chunk on the worker pool. Event i draws everything from its own random stream
/// (the run seed mixed with i), and chunks reach the sink in order, so the output is identical for any thread count.
/// </summary>
public static class Simulator
{
    public static SimulationSummary Run(SimulationRun run, IEventSink sink, IProgressReporter progress)
    {
        run.Validate();
        var generator = new WaveformGenerator(run.Config);
        int samples = run.Config.Samples;
        int chunk = (int)Math.Min(run.ChunkEvents, run.Events);
        var waveforms = new float[chunk * samples];
        var events = Enumerable.Range(0, chunk).Select(_ => new SimulatedEvent()).ToArray();
        var job = new ChunkJob(generator, run, waveforms, events);
        long clusters = 0, electrons = 0;
        double length = 0;
        var clock = Stopwatch.StartNew();
        using (var task = progress.Start($"simulating {run.Events:N0} {run.Config.Preset} waveforms", run.Events, "events"))
        {
            for (long start = 0; start < run.Events; start += chunk)
            {
                int count = (int)Math.Min(chunk, run.Events - start);
                job.Set(run.First + start, count);
                WorkerPool.Shared.Run(job, Math.Min(WorkerPool.Shared.Threads, count));
                if (job.Crosstalk)
                {
                    // Second pass: every signal is known, so each event can read its neighbour's.
                    job.Finishing = true;
                    WorkerPool.Shared.Run(job, Math.Min(WorkerPool.Shared.Threads, count));
                    job.Finishing = false;
                }
                var done = new ArraySegment<SimulatedEvent>(events, 0, count);
                sink.Accept(waveforms.AsSpan(0, count * samples), done);
                foreach (var e in done)
                {
                    clusters += e.Clusters;
                    electrons += e.Electrons.Count;
                    length += e.TrackLengthCm;
                }
                task.Advance(count, $"{clusters / (double)(start + count):F1} clusters, {electrons / (double)(start + count):F1} electrons per event");
            }
        }
        return new SimulationSummary(run.Events, clusters / (double)run.Events, electrons / (double)run.Events, length / run.Events,
            run.Config.NoiseRms, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The random stream of event <paramref name="index"/>.</summary>
    public static Rng EventRng(ulong seed, long index) => Rng.ForStream(seed, (ulong)index);

    /// <summary>
    /// Simulates a chunk. With cross-talk it runs twice: first every event's truth and noise-free signal (keeping
    /// each event's random stream), then each event adds the fraction of its neighbour's signal (the next event of the
    /// chunk, the last one's the first's) and finishes on its own stream. The chunk size, not the thread count, decides
    /// the neighbours, so the output still does not depend on the threads.
    /// </summary>
    private sealed class ChunkJob(WaveformGenerator generator, SimulationRun run, float[] waveforms, SimulatedEvent[] events) : IParallelJob
    {
        private long _start;
        private int _count;
        private readonly Dictionary<int, WaveformGenerator.Scratch> _scratch = [];
        private readonly Rng[] _streams = run.Config.CrosstalkFraction > 0 ? new Rng[events.Length] : [];
        private readonly float[] _signals = run.Config.CrosstalkFraction > 0 ? new float[waveforms.Length] : [];

        public bool Crosstalk => _streams.Length > 0;
        public bool Finishing { get; set; }

        public void Set(long start, int count) => (_start, _count) = (start, count);

        public void Execute(int part, int parts)
        {
            WaveformGenerator.Scratch scratch;
            lock (_scratch)
                if (!_scratch.TryGetValue(part, out scratch!)) _scratch[part] = scratch = new WaveformGenerator.Scratch();
            int samples = run.Config.Samples;
            int from = (int)((long)_count * part / parts), to = (int)((long)_count * (part + 1) / parts);
            for (int i = from; i < to; i++)
            {
                var waveform = waveforms.AsSpan(i * samples, samples);
                if (Finishing)
                {
                    int neighbour = (i + 1) % _count;
                    var signal = neighbour == i ? default : _signals.AsSpan(neighbour * samples, samples);
                    generator.Finish(waveform, _streams[i], events[i], scratch, signal);
                    continue;
                }
                var rng = EventRng(run.Seed, _start + i);
                var (particle, momentum) = run.Beam.Draw(rng);
                if (!Crosstalk)
                {
                    generator.Generate(particle, momentum, rng, waveform, events[i], scratch);
                    continue;
                }
                generator.GenerateSignal(particle, momentum, rng, waveform, events[i], scratch);
                waveform.CopyTo(_signals.AsSpan(i * samples, samples));
                _streams[i] = rng;
            }
        }
    }
}
