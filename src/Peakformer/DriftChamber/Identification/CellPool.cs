using Peakformer.DriftChamber.Counting;
using Peakformer.DriftChamber.Physics;
using Peakformer.DriftChamber.Simulation;
using Peakformer.Progress;

namespace Peakformer.DriftChamber.Identification;

/// <summary>
/// Cells simulated for one particle at one momentum and counted by every method as they come out of the
/// simulator (waveforms are not kept). The two particles at one momentum are simulated with the same seed, so cell i
/// of both pools has the same geometry and the same random draws as far as the physics lets them agree (common
/// random numbers): the difference between the particles is not buried under independent fluctuations.
/// </summary>
public sealed class CellPool
{
    /// <summary>Cells simulated together (the simulator's chunk): a shard's cells start at a multiple of it.</summary>
    public const int Chunk = 512;

    private CellPool(int cells, int methods)
    {
        Counts = Enumerable.Range(0, methods).Select(_ => new double[cells]).ToArray();
        LengthCm = new double[cells];
    }

    /// <summary>A pool read back (a shard's file, or shards joined).</summary>
    public CellPool(double[][] counts, double[] lengthCm)
    {
        if (counts.Any(c => c.Length != lengthCm.Length)) throw new ArgumentException("every method counts every cell", nameof(counts));
        (Counts, LengthCm) = (counts, lengthCm);
    }

    /// <summary>Counts[method][cell].</summary>
    public double[][] Counts { get; }
    public double[] LengthCm { get; }

    /// <summary>Cells [<paramref name="first"/>, first + cells) of the pool (a shard's part: cell i has stream i whoever simulates it).</summary>
    public static CellPool Simulate(SimulationConfig config, Particle particle, double momentumGeV, int cells, ulong seed,
        IReadOnlyList<ICounter> counters, Action<int> advance, int first = 0)
    {
        var pool = new CellPool(cells, counters.Count);
        var run = new SimulationRun(config, BeamSpec.Single(particle, momentumGeV), cells, seed) { ChunkEvents = Chunk, First = first };
        Simulator.Run(run, new Sink(pool, config, counters, advance), new NullProgress());
        return pool;
    }

    private sealed class Sink(CellPool pool, SimulationConfig config, IReadOnlyList<ICounter> counters, Action<int> advance) : IEventSink
    {
        private int _next;

        public void Accept(ReadOnlySpan<float> waveforms, IReadOnlyList<SimulatedEvent> events)
        {
            var batch = WaveformBatch.FromSimulation(waveforms, events, config);
            for (int k = 0; k < counters.Count; k++) counters[k].Count(batch).CopyTo(pool.Counts[k], _next);
            batch.TrackLengthCm.CopyTo(pool.LengthCm, _next);
            _next += batch.Count;
            advance(batch.Count);
        }
    }
}
