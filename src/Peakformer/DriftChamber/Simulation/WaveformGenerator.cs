using System.Runtime.Intrinsics;
using Peakformer.DriftChamber.Physics;
using Peakformer.Engine.Kernels;
using Peakformer.Engine.Randomness;

namespace Peakformer.DriftChamber.Simulation;

/// <summary>
/// Simulates the digitised signal on a sense wire for one track crossing a cell, with full truth:
/// 1. geometry: impact parameter b uniform in [0, f R), dip angle uniform in [-λmax, λmax]; path L = 2 sqrt(R² - b²) / cos λ;
/// 2. clusters: Poisson(dN/dx(βγ) L), positions uniform along the path (docs/SIMULATION.md);
/// 3. cluster sizes from Fischle et al.; each electron drifts from its cluster's distance r to the wire with
///    t(r) plus Gaussian diffusion, and is multiplied with a Polya gain (Gamma with shape 1 + θ);
/// 4. signal: the sum of single-electron pulses, then noise (white or low-pass shaped), baseline, and a
///    b-bit ADC with saturation; the shift knobs (cross-talk, pink noise, baseline drift, gain) act before the ADC.
/// Thread-safe: all state of an event lives in the caller's buffers and random stream.
/// </summary>
public sealed class WaveformGenerator
{
    private readonly DriftRelation _drift;
    private readonly ClusterSize _clusterSize;
    private readonly double _noiseAlpha, _noiseScale;
    private readonly PinkNoise? _pink;

    public WaveformGenerator(SimulationConfig config)
    {
        config.Validate();
        Config = config;
        _drift = new DriftRelation(config.CellRadiusCm, config.DriftVelocityAtWireCmPerUs, config.DriftVelocityAtEdgeCmPerUs, config.DiffusionUmPerSqrtCm);
        _clusterSize = new ClusterSize(config.ClusterSizeMax);
        Template = new PulseTemplate(new PulseShape(config.PulseRiseNs, config.PulseFallNs, config.FrontEndRiseNs,
            config.FrontEndFall1Ns, config.FrontEndFall2Ns, config.FrontEndMix, config.FrontEnd), config.SamplingNs);
        // AR(1) low-pass y = a y + (1 - a) x keeps variance (1 - a)/(1 + a) of white input: rescale to the configured rms.
        _noiseAlpha = config.NoiseShapingNs > 0 ? Math.Exp(-config.SamplingNs / config.NoiseShapingNs) : 0;
        _noiseScale = config.NoiseShapingNs > 0 ? Math.Sqrt((1 + _noiseAlpha) / (1 - _noiseAlpha)) : 1;
        _pink = config.NoisePinkRms > 0 ? new PinkNoise(config.NoisePinkRms, config.NoisePinkCornerMhz, config.SamplingNs) : null;
    }

    public SimulationConfig Config { get; }
    public PulseTemplate Template { get; }
    public DriftRelation Drift => _drift;
    public ClusterSize ClusterSizes => _clusterSize;

    public double RecordNs => Config.Samples * Config.SamplingNs;

    /// <summary>Simulates one event into waveform (length Config.Samples) and truth.</summary>
    public void Generate(Particle particle, double momentumGeV, Rng rng, Span<float> waveform, SimulatedEvent truth, Scratch scratch)
    {
        GenerateSignal(particle, momentumGeV, rng, waveform, truth, scratch);
        Finish(waveform, rng, truth, scratch, default);
    }

    /// <summary>
    /// The first half of <see cref="Generate"/>: truth and the noise-free signal. <see cref="Finish"/> continues on the
    /// same random stream; between the two a simulator with cross-talk reads the neighbour's signal.
    /// </summary>
    public void GenerateSignal(Particle particle, double momentumGeV, Rng rng, Span<float> waveform, SimulatedEvent truth, Scratch scratch)
    {
        var c = Config;
        if (waveform.Length != c.Samples) throw new ArgumentException($"waveform buffer holds {waveform.Length} samples, the config {c.Samples}.");
        truth.Particle = particle;
        truth.MomentumGeV = momentumGeV;
        truth.BetaGamma = Particles.BetaGamma(particle, momentumGeV);
        // The noise a waveform carries: white (or shaped) and pink, through the gain (the nominal value when neither moves).
        truth.NoiseRms = c.NoisePinkRms == 0 && c.Gain == 1 ? (float)c.NoiseRms
            : (float)(c.Gain * Math.Sqrt(c.NoiseRms * c.NoiseRms + c.NoisePinkRms * c.NoisePinkRms));
        truth.Seed = rng.Seed;
        truth.Electrons.Clear();

        double r0 = c.CellRadiusCm;
        double b = c.FixedImpactParameterCm ?? rng.NextDouble() * c.ImpactParameterMaxFraction * r0;
        double dip = c.FixedDipAngleRad ?? rng.Uniform(-c.DipAngleMaxRad, c.DipAngleMaxRad);
        double halfChord = Math.Sqrt(r0 * r0 - b * b);
        double length = 2 * halfChord / Math.Cos(dip);
        truth.ImpactParameterCm = b;
        truth.DipAngleRad = dip;
        truth.TrackLengthCm = length;

        int clusters = rng.Poisson(ClusterDensity.PerCm(truth.BetaGamma) * length);
        var electrons = scratch.Electrons;
        electrons.Clear();
        double gainShape = 1 + c.PolyaTheta, gainScale = c.GainMean / gainShape;
        for (int k = 0; k < clusters; k++)
        {
            double u = rng.NextDouble() * length * Math.Cos(dip) - halfChord;
            double r = Math.Sqrt(b * b + u * u);
            double mean = c.TriggerOffsetNs + _drift.Time(r), spread = _drift.TimeSpread(r);
            int size = _clusterSize.Sample(rng);
            for (int e = 0; e < size; e++)
            {
                double time = mean + spread * rng.NextNormal();
                double gain = rng.Gamma(gainShape, gainScale) / c.GainMean;
                electrons.Add((time, k, gain));
            }
        }

        // Keep electrons inside the record; number clusters by first arrival; the earliest electron of each is the primary.
        electrons.RemoveAll(e => e.Time < 0 || e.Time >= RecordNs);
        electrons.Sort((x, y) => x.Time.CompareTo(y.Time));
        var renumber = scratch.ClusterOrder;
        renumber.Clear();
        double tPeak = Template.Shape.PeakTimeNs;
        foreach (var (time, cluster, gain) in electrons)
        {
            bool primary = !renumber.TryGetValue(cluster, out int index);
            if (primary) renumber[cluster] = index = renumber.Count;
            truth.Electrons.Add(new ElectronTruth((float)time, (int)Math.Floor(time / c.SamplingNs),
                Math.Min(c.Samples - 1, (int)Math.Round((time + tPeak) / c.SamplingNs)), index, primary ? (byte)1 : (byte)2, (float)gain));
        }
        truth.Clusters = renumber.Count;

        waveform.Clear();
        foreach (var (time, _, gain) in electrons) Template.Add(waveform, time, (float)(c.SingleElectronAmplitude * gain));
    }

    /// <summary>
    /// The second half of <see cref="Generate"/>: cross-talk (the neighbour's noise-free signal times the fraction;
    /// empty for none), noise, pink noise, baseline drift, gain, then the ADC. Each shift knob at its neutral value
    /// is skipped, so it draws nothing and the nominal chain is unchanged.
    /// </summary>
    public void Finish(Span<float> waveform, Rng rng, SimulatedEvent truth, Scratch scratch, ReadOnlySpan<float> neighbourSignal)
    {
        var c = Config;
        if (c.CrosstalkFraction > 0 && !neighbourSignal.IsEmpty)
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(neighbourSignal, (float)c.CrosstalkFraction, waveform, waveform);
        AddNoise(waveform, rng, scratch);
        _pink?.Add(waveform, rng, scratch.Noise(waveform.Length));
        if (c.BaselineDrift != 0) BaselineDrift.Add(waveform, c.BaselineDrift, c.BaselineDriftPeriodNs, c.SamplingNs, rng);
        if (c.Gain != 1) System.Numerics.Tensors.TensorPrimitives.Multiply(waveform, (float)c.Gain, waveform);
        Digitise(waveform);
        // The simulator never emits a NaN or infinite sample (a config the range checks let through still cannot).
        if (Engine.Tensors.FiniteScan.IndexOfNonFinite(waveform) is var bad and >= 0)
            throw new InputException($"simulation: the config gives a {Finite.Describe(waveform[bad])} sample ({Particles.Name(truth.Particle)} at {truth.MomentumGeV:G4} GeV/c, " +
                $"sample {bad}); check adc_min, adc_max, gain_mean and single_electron_amplitude");
    }

    private void AddNoise(Span<float> waveform, Rng rng, Scratch scratch)
    {
        float sigma = (float)Config.NoiseRms;
        if (sigma == 0) return;
        var noise = scratch.Noise(waveform.Length);
        rng.FillNormal(noise, 1f);
        if (_noiseAlpha == 0)
        {
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(noise, sigma, waveform, waveform);
            return;
        }
        // Low-pass the white noise, starting in the stationary state so the first samples are as noisy as the rest.
        double y = sigma * noise[0];
        double a = _noiseAlpha, gain = (1 - a) * _noiseScale * sigma;
        for (int i = 0; i < waveform.Length; i++)
        {
            if (i > 0) y = a * y + gain * noise[i];
            waveform[i] += (float)y;
        }
    }

    /// <summary>ADC: code = clamp(floor((v + baseline - min) / lsb), 0, 2^bits - 1), reported at the code's centre.</summary>
    private void Digitise(Span<float> waveform)
    {
        var c = Config;
        int codes = 1 << c.AdcBits;
        float lsb = (float)((c.AdcMax - c.AdcMin) / codes);
        float offset = (float)(c.Baseline - c.AdcMin), inverse = 1f / lsb, top = codes - 1, min = (float)c.AdcMin;
        int i = 0;
        // The variant in force decides, not the hardware. No 256-bit body: under Vector256 and Reference the scalar
        // loop below (the reference) does all of it.
        if (KernelSettings.Variant == KernelVariant.Vector512)
        {
            var vOffset = Vector512.Create(offset);
            var vInverse = Vector512.Create(inverse);
            var vTop = Vector512.Create(top);
            var vLsb = Vector512.Create(lsb);
            var vBase = Vector512.Create(min + 0.5f * lsb);
            for (; i <= waveform.Length - 16; i += 16)
            {
                var v = Vector512.Create((ReadOnlySpan<float>)waveform.Slice(i, 16));
                var code = Vector512.Floor((v + vOffset) * vInverse);
                code = Vector512.Min(Vector512.Max(code, Vector512<float>.Zero), vTop);
                Vector512.FusedMultiplyAdd(code, vLsb, vBase).CopyTo(waveform.Slice(i, 16));
            }
        }
        for (; i < waveform.Length; i++)
        {
            float code = Math.Clamp(MathF.Floor((waveform[i] + offset) * inverse), 0, top);
            waveform[i] = MathF.FusedMultiplyAdd(code, lsb, min + 0.5f * lsb);
        }
    }

    /// <summary>Per-thread working memory reused across events.</summary>
    public sealed class Scratch
    {
        private float[] _noise = [];
        internal List<(double Time, int Cluster, double Gain)> Electrons { get; } = [];
        internal Dictionary<int, int> ClusterOrder { get; } = [];
        internal Span<float> Noise(int length) => (_noise.Length >= length ? _noise : _noise = new float[length]).AsSpan(0, length);
    }
}
