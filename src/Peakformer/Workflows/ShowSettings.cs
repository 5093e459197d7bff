namespace Peakformer.Workflows;

/// <summary>What <c>show</c> draws: one waveform of any readable file, and the finders whose peaks get a panel each.</summary>
public sealed record ShowSettings
{
    public required string DataPath { get; init; }
    public Data.Waveforms.WaveformReadOptions Read { get; init; } = Data.Waveforms.WaveformReadOptions.None;
    /// <summary>Waveform index (0-based, over all files of a list or pattern).</summary>
    public int Event { get; init; }
    /// <summary>Peak finders as <see cref="DriftChamber.Finders.MethodSpec"/> reads them: checkpoints (MODEL or MODEL@0.9), deriv, d2, deriv:N1,N2,N3,N4, d2:T1,T2.</summary>
    public IReadOnlyList<string> Methods { get; init; } = [];
    public double? FromNs { get; init; }
    public double? ToNs { get; init; }

    public ShowSettings Validate()
    {
        Read.Validate();
        if (Event < 0) throw InputException.At(null, null, "--event", "a waveform index of 0 or more", Event.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (string m in Methods) DriftChamber.Finders.MethodSpec.Parse(m, "--model", DriftChamber.Finders.MethodKind.Classical, DriftChamber.Finders.MethodKind.Model);
        return this;
    }
}
