using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Peakformer.DriftChamber.Physics;

namespace Peakformer.DriftChamber.Simulation;

/// <summary>
/// Every parameter of the waveform simulator, with the <c>fcc</c> preset as defaults. Sources are in
/// docs/SIMULATION.md (the FCC-ee IDEA and CEPC drift-chamber figures); values marked "estimate" are choices
/// made here within the ranges those sources give. Serialised in snake_case (YAML or JSON config files, the
/// dataset's "config" entry); unknown keys are rejected.
/// </summary>
public sealed record SimulationConfig
{
    /// <summary>Name of the preset these values started from.</summary>
    public string Preset { get; init; } = "fcc";

    // Digitiser (IDEA DCHdigi: 2 GS/s, 12-bit ADC; ml4cc FCC samples: 1200 samples).
    public double SamplingNs { get; init; } = DriftChamberConstants.SamplingNs;
    public int Samples { get; init; } = 1200;
    /// <summary>Time of the track crossing within the record; the signal-free start lets DERIV estimate the noise (it uses the first 25 ns).</summary>
    public double TriggerOffsetNs { get; init; } = 50;
    public int AdcBits { get; init; } = 12;
    /// <summary>ADC input range in the waveform's amplitude units (estimate: 40x the noise below the baseline, saturation near 7 single-electron peaks).</summary>
    public double AdcMin { get; init; } = -0.5;
    public double AdcMax { get; init; } = 3.5;
    public double Baseline { get; init; } = 0;

    // Cell and track geometry. IDEA cells are about 1.2-1.4 cm wide: radius 0.65 cm (estimate, cell taken as round).
    public double CellRadiusCm { get; init; } = 0.65;
    /// <summary>Impact parameters are uniform in [0, this fraction of the radius).</summary>
    public double ImpactParameterMaxFraction { get; init; } = 0.95;
    /// <summary>Dip angle of the track against the plane normal to the wire, uniform in [-max, max] (estimate).</summary>
    public double DipAngleMaxRad { get; init; } = 0.3;
    /// <summary>Fixed geometry instead of random (validation studies): impact parameter in cm and dip angle in rad.</summary>
    public double? FixedImpactParameterCm { get; init; }
    public double? FixedDipAngleRad { get; init; }

    // Gas: He/iC4H10 90/10. Cluster density from the Delphes table, cluster sizes from Fischle et al.
    public int ClusterSizeMax { get; init; } = 35;

    // Drift (He/iC4H10 90/10 drifts at 2-3 cm/us; diffusion is an estimate typical of helium mixtures).
    public double DriftVelocityAtWireCmPerUs { get; init; } = 4.0;
    public double DriftVelocityAtEdgeCmPerUs { get; init; } = 2.0;
    public double DiffusionUmPerSqrtCm { get; init; } = 200;

    // Gas gain: Polya with mean 2e5 and theta 0.5 (DCHdigi).
    public double GainMean { get; init; } = 2e5;
    public double PolyaTheta { get; init; } = 0.5;

    // Signal (DCHdigi): current pulse rise 1 ns / fall 7 ns; front end rise 3 ns, falls 9 ns and 25 ns mixed 50/50.
    public double PulseRiseNs { get; init; } = 1;
    public double PulseFallNs { get; init; } = 7;
    /// <summary>
    /// Pass the current pulse through the front-end response below. Off by default: that response (3 ns rise,
    /// 9/25 ns falls) widens one electron's signal to 29.8 ns FWHM, while electrons of a track arrive a few ns
    /// apart, so the waveform piles up into one step that saturates the ADC and no single peak can be found. The
    /// reference study's waveforms resolve single electrons within a sample; the current pulse alone (FWHM 7.7 ns,
    /// peak 2.3 ns after arrival) does. Turn it on (--set front_end=true) to study the documented chain.
    /// </summary>
    public bool FrontEnd { get; init; }
    public double FrontEndRiseNs { get; init; } = 3;
    public double FrontEndFall1Ns { get; init; } = 9;
    public double FrontEndFall2Ns { get; init; } = 25;
    public double FrontEndMix { get; init; } = 0.5;
    /// <summary>Peak height of an electron of mean gain, in waveform units (CEPC samples: single-electron peaks 0.2-1).</summary>
    public double SingleElectronAmplitude { get; init; } = DriftChamberConstants.SingleElectronAmplitude;

    // Noise (CEPC samples: about 0.025 in these units). Shaping: first-order low-pass time constant, 0 for white.
    public double NoiseRms { get; init; } = DriftChamberConstants.NoiseRms;
    public double NoiseShapingNs { get; init; } = 0;

    // Shift knobs (docs/SIMULATOR.md, "Shift knobs"): ways the detector can differ from the nominal simulation.
    // At their defaults they draw no random numbers and change no sample, and they are left out of the config's
    // JSON, so a nominal dataset is byte-identical to one written before they existed.
    /// <summary>Front-end gain: scales everything before the ADC (signal, noise, drift, cross-talk), not the baseline.</summary>
    public double Gain { get; init; } = 1;
    /// <summary>rms of an added 1/f (pink) noise, flat below <see cref="NoisePinkCornerMhz"/>, 1/f up to the Nyquist frequency.</summary>
    public double NoisePinkRms { get; init; } = 0;
    public double NoisePinkCornerMhz { get; init; } = 1;
    /// <summary>Amplitude of a slow baseline drift: a sine of this period with a random phase, or (period 0) a linear ramp from -amplitude to +amplitude across the record.</summary>
    public double BaselineDrift { get; init; } = 0;
    public double BaselineDriftPeriodNs { get; init; } = 0;
    /// <summary>Fraction of a neighbour cell's signal added to this cell's (the neighbour: the next event of the same chunk, see docs/SIMULATOR.md).</summary>
    public double CrosstalkFraction { get; init; } = 0;

    /// <summary>The shift knobs' keys: each is left out of the JSON while it has its default (neutral) value above.</summary>
    public static readonly IReadOnlySet<string> ShiftKnobs = new HashSet<string>
    {
        "gain", "noise_pink_rms", "noise_pink_corner_mhz", "baseline_drift", "baseline_drift_period_ns", "crosstalk_fraction",
    };

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = false,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { OmitNeutralKnobs } },
    };

    /// <summary>Every key written, the shift knobs too: the loader's list of keys a file or --set may name.</summary>
    public static readonly JsonSerializerOptions JsonAllKeys = new(Json) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    private static void OmitNeutralKnobs(JsonTypeInfo info)
    {
        if (info.Type != typeof(SimulationConfig)) return;
        var defaults = new SimulationConfig();
        foreach (var property in info.Properties)
            if (ShiftKnobs.Contains(property.Name) && property.Get?.Invoke(defaults) is double neutral)
                property.ShouldSerialize = (_, value) => value is not double d || d != neutral;
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Longest record simulated: 100000 samples (50 us at 0.5 ns; the longest drift is about 250 ns).</summary>
    public const int MaxSamples = 100_000;
    /// <summary>Largest amplitude (ADC range, baseline, noise) accepted: far beyond any detector, far inside float range.</summary>
    public const double AdcLimit = 1e6;

    /// <summary>Checks every value; the message names the field and the valid range.</summary>
    public void Validate(string where = "config")
    {
        void Need(bool ok, string field, string expected, object found)
        {
            if (!ok) throw InputException.At(where, null, field, expected, Convert.ToString(found, System.Globalization.CultureInfo.InvariantCulture) ?? "null");
        }
        // Ranges are physical limits, generous around the presets (docs/SIMULATOR.md): they keep every size the
        // simulator derives from the config (record length, path length, clusters, cluster sizes) bounded.
        // Comparisons are written so that NaN fails them.
        Need(SamplingNs is > 0 and <= 100, "sampling_ns", "a sampling interval in (0, 100] ns (digitisers: 0.1-10 ns)", SamplingNs);
        Need(Samples is >= 32 and <= MaxSamples, "samples", $"32 to {MaxSamples} samples per waveform", Samples);
        Need(TriggerOffsetNs >= 0 && TriggerOffsetNs <= Samples * SamplingNs, "trigger_offset_ns", $"in [0, samples x sampling_ns = {Samples * SamplingNs}] ns", TriggerOffsetNs);
        Need(AdcBits is >= 4 and <= 24, "adc_bits", "4 to 24", AdcBits);
        Need(AdcMin is >= -AdcLimit and <= AdcLimit, "adc_min", "in [-1e6, 1e6]", AdcMin);
        Need(AdcMax > AdcMin && AdcMax <= AdcLimit, "adc_max", $"more than adc_min ({AdcMin}) and at most 1e6", AdcMax);
        Need(Baseline is >= -AdcLimit and <= AdcLimit, "baseline", "in [-1e6, 1e6]", Baseline);
        Need(CellRadiusCm is > 0 and <= 10, "cell_radius_cm", "a drift-cell radius in (0, 10] cm (IDEA: 0.65 cm)", CellRadiusCm);
        Need(ImpactParameterMaxFraction is > 0 and <= 1, "impact_parameter_max_fraction", "in (0, 1]", ImpactParameterMaxFraction);
        Need(DipAngleMaxRad is >= 0 and < 1.5, "dip_angle_max_rad", "in [0, 1.5)", DipAngleMaxRad);
        Need(FixedImpactParameterCm is null || (FixedImpactParameterCm >= 0 && FixedImpactParameterCm < CellRadiusCm), "fixed_impact_parameter_cm", $"in [0, cell_radius_cm = {CellRadiusCm})", FixedImpactParameterCm ?? 0);
        Need(FixedDipAngleRad is null || Math.Abs(FixedDipAngleRad.Value) < 1.5, "fixed_dip_angle_rad", "in (-1.5, 1.5)", FixedDipAngleRad ?? 0);
        Need(ClusterSizeMax is >= 1 and <= 1000, "cluster_size_max", "1 to 1000 electrons per cluster (Fischle: 35)", ClusterSizeMax);
        Need(DriftVelocityAtWireCmPerUs is > 0 and <= 100, "drift_velocity_at_wire_cm_per_us", "in (0, 100] cm/us (gases: 1-10)", DriftVelocityAtWireCmPerUs);
        Need(DriftVelocityAtEdgeCmPerUs is > 0 and <= 100, "drift_velocity_at_edge_cm_per_us", "in (0, 100] cm/us (gases: 1-10)", DriftVelocityAtEdgeCmPerUs);
        Need(DiffusionUmPerSqrtCm is >= 0 and <= 10000, "diffusion_um_per_sqrt_cm", "in [0, 10000] um/sqrt(cm)", DiffusionUmPerSqrtCm);
        Need(GainMean is > 0 and <= 1e9, "gain_mean", "a gas gain in (0, 1e9]", GainMean);
        Need(PolyaTheta is > -1 and <= 1000, "polya_theta", "in (-1, 1000]", PolyaTheta);
        Need(PulseRiseNs is > 0 and <= 10000, "pulse_rise_ns", "in (0, 10000] ns", PulseRiseNs);
        Need(PulseFallNs > PulseRiseNs && PulseFallNs <= 10000, "pulse_fall_ns", $"longer than pulse_rise_ns ({PulseRiseNs}) and at most 10000 ns", PulseFallNs);
        Need(FrontEndRiseNs is > 0 and <= 10000 && FrontEndFall1Ns is > 0 and <= 10000 && FrontEndFall2Ns is > 0 and <= 10000, "front_end_*_ns", "time constants in (0, 10000] ns", $"{FrontEndRiseNs}, {FrontEndFall1Ns}, {FrontEndFall2Ns}");
        Need(FrontEndMix is >= 0 and <= 1, "front_end_mix", "in [0, 1]", FrontEndMix);
        Need(SingleElectronAmplitude is > 0 and <= AdcLimit, "single_electron_amplitude", "in (0, 1e6]", SingleElectronAmplitude);
        Need(NoiseRms >= 0, "noise_rms", "zero or more", NoiseRms);
        Need(NoiseRms <= AdcLimit, "noise_rms", "at most 1e6", NoiseRms);
        Need(NoiseShapingNs is >= 0 and <= 10000, "noise_shaping_ns", "in [0, 10000] ns", NoiseShapingNs);
        Need(Gain is > 0 and <= 1000, "gain", "a front-end gain factor in (0, 1000]", Gain);
        Need(NoisePinkRms is >= 0 and <= AdcLimit, "noise_pink_rms", "in [0, 1e6]", NoisePinkRms);
        double nyquistMhz = 500 / SamplingNs;
        Need(NoisePinkCornerMhz > 0 && NoisePinkCornerMhz < nyquistMhz, "noise_pink_corner_mhz", $"a corner in (0, {nyquistMhz:G4}) MHz (below the Nyquist frequency 500 / sampling_ns)", NoisePinkCornerMhz);
        Need(BaselineDrift is >= -AdcLimit and <= AdcLimit, "baseline_drift", "an amplitude in [-1e6, 1e6]", BaselineDrift);
        Need(BaselineDriftPeriodNs is >= 0 and <= 1e9, "baseline_drift_period_ns", "0 (a linear ramp) or a period up to 1e9 ns", BaselineDriftPeriodNs);
        Need(CrosstalkFraction is >= 0 and <= 1, "crosstalk_fraction", "a fraction in [0, 1]", CrosstalkFraction);
    }
}
