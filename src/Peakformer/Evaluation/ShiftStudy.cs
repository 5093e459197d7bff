using Peakformer.DriftChamber.Inputs;
using Peakformer.DriftChamber.Models;
using Peakformer.DriftChamber.Physics;
using Peakformer.DriftChamber.Simulation;
using Peakformer.Engine.Checkpoints;
using Peakformer.Progress;

namespace Peakformer.Evaluation;

/// <summary>
/// Domain shift, measured: simulates the nominal set and each shifted set with the same seed (same tracks and
/// electrons, only the knob differs), evaluates every method on each with <see cref="PeakEvaluation"/> (F1) and
/// <see cref="CountEvaluation"/> (count MAE), and reports each figure's change from the nominal set. The classical
/// thresholds and the constant-mean baseline come from a separate nominal tuning set (seed + 1), as a user would
/// tune on simulation before meeting the detector. With normalisation each model is also evaluated on every set after
/// <see cref="AmplitudeNormalisation"/> to its own checkpoint's training noise, the mitigation <c>predict --normalise</c>
/// applies: a peak model's F1, a count model's count MAE (DERIV/D2 get no normalised rows: they are not models).
/// </summary>
public static class ShiftStudy
{
    /// <summary>Runs the study; the simulated sets are written to <paramref name="dataFolder"/> (kept beside the report).</summary>
    public static ShiftResult Run(ShiftSettings s, string dataFolder, IProgressReporter progress)
    {
        s.Validate();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var beam = BeamSpec.Parse(s.Particle, s.Momentum);
        var sets = new List<ShiftSet> { new(ShiftSet.NominalLabel, []) };
        sets.AddRange(s.Shifts);
        // Every config is checked before anything is simulated: a typo in the last set fails at once.
        var configs = sets.Select(set =>
        {
            try
            {
                return SimulationConfigLoader.Load(s.Preset, null, set.Overrides);
            }
            catch (InputException e)
            {
                throw new InputException($"shifted set '{set.Label}' (--set-list or --shifts): {e.Message}");
            }
        }).ToList();
        var peakModels = new List<string>();
        var countModels = new List<string>();
        var classical = new List<string>();
        foreach (var text in s.Methods)
        {
            var m = DriftChamber.Finders.MethodSpec.Parse(text, "--model", DriftChamber.Finders.MethodKind.Classical, DriftChamber.Finders.MethodKind.Model);
            if (m.Kind == DriftChamber.Finders.MethodKind.Classical) classical.Add(text.ToLowerInvariant());
            else if (ModelKinds.All.Find(Checkpoint.ReadHeader(m.Path).Kind) is { } kind && DriftChamberModels.CountsClusters(kind))
                countModels.Add(m.Threshold is null ? text : throw InputException.At(null, null, "--model", "a count model without @THRESHOLD (it applies its own)", text));
            else peakModels.Add(text);
        }
        // Each model normalised to the noise its own checkpoint was trained on, as predict --normalise does: peak models
        // give normalised F1 rows, count models normalised count-MAE rows (their carried peak model sees the same waveforms).
        Dictionary<string, double>? targets = null;
        if (s.Normalise)
        {
            if (peakModels.Count + countModels.Count == 0)
                throw InputException.At(null, null, "--normalise", "a peak- or count-model checkpoint among --model (the normalised rows are models' F1 and count MAE; deriv/d2 are not normalised)", string.Join(",", s.Methods));
            targets = peakModels.Distinct().ToDictionary(p => p, p => AmplitudeNormalisation.TrainingNoise(PeakCheckpoint.Load(DriftChamber.Finders.MethodSpec.SplitThreshold(p, "--model").Path).Info.Input));
            foreach (var c in countModels.Distinct()) targets[c] = AmplitudeNormalisation.TrainingNoise(CountCheckpoint.Load(c).Info.Input);
        }

        Directory.CreateDirectory(dataFolder);
        string tune = Simulate(Path.Combine(dataFolder, "tune.npz"), configs[0], beam, s.TuneEvents, s.Seed + 1, null, progress);
        var result = new ShiftResult
        {
            Sets = sets, Events = s.Events, Seed = s.Seed, Preset = s.Preset, Beam = $"{s.Particle} at {s.Momentum} GeV/c", NormalisedNoiseRms = targets,
        };
        for (int k = 0; k < sets.Count; k++)
        {
            string file = Path.Combine(dataFolder, $"set{k}.npz");
            progress.Note($"set {k} ({sets[k].Label})");
            Simulate(file, configs[k], beam, s.Events, s.Seed, null, progress);
            result.Rows.AddRange(Evaluate(sets[k], ShiftResult.None, file, tune, peakModels, countModels, classical, counts: true, progress));
            int j = 0;
            foreach (var (model, noise) in targets ?? [])
            {
                string normalised = Path.Combine(dataFolder, $"set{k}_{ShiftResult.Normalised}{j++}.npz");
                progress.Note($"set {k} ({sets[k].Label}), normalised for {Path.GetFileName(model)}");
                Simulate(normalised, configs[k], beam, s.Events, s.Seed, noise, progress);
                bool count = countModels.Contains(model);
                result.Rows.AddRange(Evaluate(sets[k], ShiftResult.Normalised, normalised, tune, count ? [] : [model], count ? [model] : [], [], counts: count, progress));
            }
        }
        // Each figure against the nominal set's, under the same mitigation.
        for (int i = 0; i < result.Rows.Count; i++)
        {
            var r = result.Rows[i];
            var nominal = result.Rows.First(n => n.Set == ShiftSet.NominalLabel && n.Mitigation == r.Mitigation && n.Method == r.Method && n.Metric == r.Metric);
            result.Rows[i] = r with { Change = r.Value - nominal.Value };
        }
        result.Seconds = clock.Elapsed.TotalSeconds;
        return result;
    }

    private static IEnumerable<ShiftRow> Evaluate(ShiftSet set, string mitigation, string file, string tune, List<string> peakModels,
        List<string> countModels, List<string> classical, bool counts, IProgressReporter progress)
    {
        string overrides = string.Join(",", set.Overrides);
        var rows = new List<ShiftRow>();
        if (peakModels.Count + classical.Count > 0)
        {
            var peaks = PeakEvaluation.Run(new EvaluationSettings
            {
                DataPath = file, ModelPaths = peakModels, Classical = classical, TuneDataPath = tune, ExampleWaveforms = 0,
            }, progress);
            foreach (var f in peaks.Finders)
            {
                double trials = (f.TruthPeaks + f.FoundPeaks) / 2.0;
                double error = trials > 0 ? Math.Sqrt(f.F1 * (1 - f.F1) / trials) : double.NaN;
                rows.Add(new ShiftRow(set.Label, overrides, mitigation, f.Name, ShiftResult.F1, f.F1, error, 0));
            }
        }
        if (!counts) return rows;
        var counted = CountEvaluation.Run(new CountEvaluationSettings
        {
            DataPath = file, CountModels = countModels, PeakModels = peakModels, Classical = classical, TrainDataPath = tune,
            TruthPeaks = false, MomentumBins = 1,
        }, progress);
        // Normalised sets are there for their model alone: the constant-mean baseline a count model brings is left out.
        foreach (var m in counted.Methods.Where(m => mitigation == ShiftResult.None || m.Kind == "model"))
        {
            var o = m.Overall;
            rows.Add(new ShiftRow(set.Label, overrides, mitigation, m.Name, ShiftResult.CountMae, o.Mae, Math.Sqrt(Math.Max(0, o.Mse - o.Mae * o.Mae) / o.N), 0));
        }
        return rows;
    }

    private static string Simulate(string path, SimulationConfig config, BeamSpec beam, int events, ulong seed, double? normaliseTo, IProgressReporter progress)
    {
        var run = new SimulationRun(config, beam, events, seed);
        using var writer = new DatasetWriter(path, run);
        Simulator.Run(run, normaliseTo is { } noise ? new NormalisingSink(writer, config, noise) : writer, progress);
        writer.Commit();
        return path;
    }

    /// <summary>Normalises each chunk's waveforms before they are written (truth passes unchanged).</summary>
    private sealed class NormalisingSink(IEventSink inner, SimulationConfig config, double noise) : IEventSink
    {
        private float[] _buffer = [];

        public void Accept(ReadOnlySpan<float> waveforms, IReadOnlyList<SimulatedEvent> events)
        {
            if (_buffer.Length < waveforms.Length) _buffer = new float[waveforms.Length];
            var copy = _buffer.AsSpan(0, waveforms.Length);
            waveforms.CopyTo(copy);
            AmplitudeNormalisation.Apply(copy, config.Samples, config.SamplingNs, noise);
            inner.Accept(copy, events);
        }
    }
}
