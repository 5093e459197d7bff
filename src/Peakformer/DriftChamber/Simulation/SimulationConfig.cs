using System.Text.Json;
using System.Text.Json.Serialization;

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
    public double SamplingNs { get; init; } = 0.5;
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
    public double SingleElectronAmplitude { get; init; } = 0.5;

    // Noise (CEPC samples: about 0.025 in these units). Shaping: first-order low-pass time constant, 0 for white.
    public double NoiseRms { get; init; } = 0.025;
    public double NoiseShapingNs { get; init; } = 0;

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = false,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Largest record length (samples per waveform) accepted; the presets use 1200 and 3000.</summary>
    public const int MaxSamples = 1 << 20;
    /// <summary>Largest amplitude (ADC range, baseline, noise) accepted: far beyond any detector, far inside float range.</summary>
    public const double AdcLimit = 1e6;

    /// <summary>Checks every value; the message names the field and the valid range.</summary>
    public void Validate(string where = "config")
    {
        void Need(bool ok, string field, string expected, object found)
        {
            if (!ok) throw InputException.At(where, null, field, expected, Convert.ToString(found, System.Globalization.CultureInfo.InvariantCulture) ?? "null");
        }
        // Finite and float-sized first: the waveform is float, so a range of 1e308 digitises to NaN, and an unbounded
        // size is a memory bomb. The bounds are far outside any real chamber.
        void Within(double value, string field, double min, double max) =>
            Need(value >= min && value <= max, field, $"a number in [{Finite.Describe(min)}, {Finite.Describe(max)}]", value);
        Within(SamplingNs, "sampling_ns", 0, 1e3);
        Need(Samples <= MaxSamples, "samples", $"at most {MaxSamples}", Samples);
        Within(TriggerOffsetNs, "trigger_offset_ns", 0, 1e6);
        Within(AdcMin, "adc_min", -AdcLimit, AdcLimit);
        Within(AdcMax, "adc_max", -AdcLimit, AdcLimit);
        Within(Baseline, "baseline", -AdcLimit, AdcLimit);
        Within(CellRadiusCm, "cell_radius_cm", 0, 100);
        Need(ClusterSizeMax <= 1000, "cluster_size_max", "at most 1000", ClusterSizeMax);
        Within(DriftVelocityAtWireCmPerUs, "drift_velocity_at_wire_cm_per_us", 0, 1e3);
        Within(DriftVelocityAtEdgeCmPerUs, "drift_velocity_at_edge_cm_per_us", 0, 1e3);
        Within(DiffusionUmPerSqrtCm, "diffusion_um_per_sqrt_cm", 0, 1e5);
        Within(GainMean, "gain_mean", 0, 1e9);
        Within(PolyaTheta, "polya_theta", -1, 1e3);
        Within(PulseRiseNs, "pulse_rise_ns", 0, 1e4);
        Within(PulseFallNs, "pulse_fall_ns", 0, 1e4);
        Within(FrontEndRiseNs, "front_end_rise_ns", 0, 1e4);
        Within(FrontEndFall1Ns, "front_end_fall1_ns", 0, 1e4);
        Within(FrontEndFall2Ns, "front_end_fall2_ns", 0, 1e4);
        Within(SingleElectronAmplitude, "single_electron_amplitude", 0, AdcLimit);
        Within(NoiseRms, "noise_rms", 0, AdcLimit);
        Within(NoiseShapingNs, "noise_shaping_ns", 0, 1e6);
        Need(SamplingNs > 0, "sampling_ns", "a positive number", SamplingNs);
        Need(Samples >= 32, "samples", "at least 32", Samples);
        Need(TriggerOffsetNs >= 0, "trigger_offset_ns", "zero or more", TriggerOffsetNs);
        Need(AdcBits is >= 4 and <= 24, "adc_bits", "4 to 24", AdcBits);
        Need(AdcMax > AdcMin, "adc_max", $"more than adc_min ({AdcMin})", AdcMax);
        Need(CellRadiusCm > 0, "cell_radius_cm", "a positive number", CellRadiusCm);
        Need(ImpactParameterMaxFraction is > 0 and <= 1, "impact_parameter_max_fraction", "in (0, 1]", ImpactParameterMaxFraction);
        Need(DipAngleMaxRad is >= 0 and < 1.5, "dip_angle_max_rad", "in [0, 1.5)", DipAngleMaxRad);
        Need(FixedImpactParameterCm is null || (FixedImpactParameterCm >= 0 && FixedImpactParameterCm < CellRadiusCm), "fixed_impact_parameter_cm", $"in [0, cell_radius_cm = {CellRadiusCm})", FixedImpactParameterCm ?? 0);
        Need(FixedDipAngleRad is null || Math.Abs(FixedDipAngleRad.Value) < 1.5, "fixed_dip_angle_rad", "in (-1.5, 1.5)", FixedDipAngleRad ?? 0);
        Need(ClusterSizeMax >= 1, "cluster_size_max", "at least 1", ClusterSizeMax);
        Need(DriftVelocityAtWireCmPerUs > 0, "drift_velocity_at_wire_cm_per_us", "a positive number", DriftVelocityAtWireCmPerUs);
        Need(DriftVelocityAtEdgeCmPerUs > 0, "drift_velocity_at_edge_cm_per_us", "a positive number", DriftVelocityAtEdgeCmPerUs);
        Need(DiffusionUmPerSqrtCm >= 0, "diffusion_um_per_sqrt_cm", "zero or more", DiffusionUmPerSqrtCm);
        Need(GainMean > 0, "gain_mean", "a positive number", GainMean);
        Need(PolyaTheta > -1, "polya_theta", "more than -1", PolyaTheta);
        Need(PulseRiseNs > 0 && PulseFallNs > PulseRiseNs, "pulse_fall_ns", $"longer than pulse_rise_ns ({PulseRiseNs})", PulseFallNs);
        Need(FrontEndRiseNs > 0 && FrontEndFall1Ns > 0 && FrontEndFall2Ns > 0, "front_end_*_ns", "positive time constants", $"{FrontEndRiseNs}, {FrontEndFall1Ns}, {FrontEndFall2Ns}");
        Need(FrontEndMix is >= 0 and <= 1, "front_end_mix", "in [0, 1]", FrontEndMix);
        Need(SingleElectronAmplitude > 0, "single_electron_amplitude", "a positive number", SingleElectronAmplitude);
        Need(NoiseRms >= 0, "noise_rms", "zero or more", NoiseRms);
        Need(NoiseShapingNs >= 0, "noise_shaping_ns", "zero or more", NoiseShapingNs);
    }
}
