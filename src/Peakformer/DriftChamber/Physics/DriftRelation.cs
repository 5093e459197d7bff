namespace Peakformer.DriftChamber.Physics;

/// <summary>
/// Distance-to-time relation of a drift cell: the drift velocity falls linearly in 1/v from
/// <c>velocityAtWire</c> at the wire to <c>velocityAtEdge</c> at the cell radius R (the field of a wire falls as 1/r,
/// so electrons drift faster near it), giving t(r) = r / v0 + k r^2 with k = (1/vR - 1/v0) / (2R).
/// He/iC4H10 90/10 drifts at 2-3 cm/us (docs/SIMULATION.md; the IDEA digitiser uses a measured table, this is
/// a smooth stand-in). Longitudinal diffusion spreads each electron's arrival by sigma_t = D sqrt(r) / v(r).
/// All lengths in cm, times in ns.
/// </summary>
public sealed class DriftRelation
{
    private readonly double _invV0, _k, _diffusion;

    public DriftRelation(double cellRadiusCm, double velocityAtWireCmPerUs, double velocityAtEdgeCmPerUs, double diffusionUmPerSqrtCm)
    {
        if (cellRadiusCm <= 0 || velocityAtWireCmPerUs <= 0 || velocityAtEdgeCmPerUs <= 0 || diffusionUmPerSqrtCm < 0)
            throw new ArgumentException("DriftRelation: radius and velocities must be positive and diffusion non-negative.");
        _invV0 = 1000.0 / velocityAtWireCmPerUs;                    // ns per cm
        double invVR = 1000.0 / velocityAtEdgeCmPerUs;
        _k = (invVR - _invV0) / (2 * cellRadiusCm);                  // ns per cm^2
        _diffusion = diffusionUmPerSqrtCm * 1e-4;                    // cm per sqrt(cm)
        CellRadiusCm = cellRadiusCm;
    }

    public double CellRadiusCm { get; }

    /// <summary>Mean drift time (ns) from distance r (cm) to the wire.</summary>
    public double Time(double r) => r * _invV0 + _k * r * r;

    /// <summary>Drift velocity at r in cm/ns.</summary>
    public double Velocity(double r) => 1.0 / (_invV0 + 2 * _k * r);

    /// <summary>Spread (ns) of the arrival time of an electron starting at r.</summary>
    public double TimeSpread(double r) => _diffusion * Math.Sqrt(r) / Velocity(r);

    /// <summary>Longest mean drift time, from the cell edge.</summary>
    public double MaxTime => Time(CellRadiusCm);
}
