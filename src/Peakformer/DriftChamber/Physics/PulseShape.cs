namespace Peakformer.DriftChamber.Physics;

/// <summary>
/// The signal of one avalanche electron at the digitiser input, normalised to a peak of 1.
/// Current pulse (IDEA DCHdigi): i(t) = exp(-t/fall) - exp(-t/rise), rise 1 ns, fall 7 ns.
/// Front-end impulse response (DCHdigi): f(t) = (1 - exp(-t/3 ns)) (m exp(-t/9 ns) + (1 - m) exp(-t/25 ns)), m = 0.5.
/// Both are sums of exponentials, so h = i * f is too: with i = Σ d_l exp(-μ_l t) and f = Σ c_k exp(-λ_k t),
/// h(t) = Σ_k Σ_l c_k d_l (exp(-μ_l t) - exp(-λ_k t)) / (λ_k - μ_l), evaluated in closed form.
/// Without the front end, h = i.
/// </summary>
public sealed class PulseShape
{
    private readonly (double Rate, double Coefficient)[] _current;
    private readonly (double Rate, double Coefficient)[] _frontEnd;
    private readonly double _norm;

    public PulseShape(double riseNs = 1, double fallNs = 7, double frontEndRiseNs = 3, double frontEndFall1Ns = 9, double frontEndFall2Ns = 25, double frontEndMix = 0.5,
        bool frontEnd = true)
    {
        if (riseNs <= 0 || fallNs <= riseNs || frontEndRiseNs <= 0 || frontEndFall1Ns <= 0 || frontEndFall2Ns <= 0 || frontEndMix is < 0 or > 1)
            throw new ArgumentException("PulseShape: time constants must be positive (fall longer than rise) and the mix in [0, 1].");
        _current = [(1 / fallNs, 1.0), (1 / riseNs, -1.0)];
        double r = 1 / frontEndRiseNs, a = 1 / frontEndFall1Ns, b = 1 / frontEndFall2Ns, m = frontEndMix;
        _frontEnd = frontEnd ? [(a, m), (a + r, -m), (b, 1 - m), (b + r, -(1 - m))] : [];
        (PeakTimeNs, _norm) = FindPeak();
        (double left, double right) = HalfMaximum();
        FullWidthHalfMaximumNs = right - left;
        // Where the tail has fallen below 1e-4 of the peak: beyond it an electron adds nothing measurable.
        double end = PeakTimeNs;
        while (Value(end) > 1e-4) end += 0.5;
        LengthNs = end;
    }

    /// <summary>Time of the maximum after the electron's arrival.</summary>
    public double PeakTimeNs { get; }

    public double FullWidthHalfMaximumNs { get; }

    /// <summary>Duration after which the pulse is below 1e-4 of its peak.</summary>
    public double LengthNs { get; }

    /// <summary>h(t) / max h, zero before arrival (t &lt; 0).</summary>
    public double Value(double t) => t <= 0 ? 0 : Raw(t) / (_norm == 0 ? 1 : _norm);

    private double Raw(double t)
    {
        if (_frontEnd.Length == 0) return _current.Sum(e => e.Coefficient * Math.Exp(-e.Rate * t));
        double sum = 0;
        foreach (var (lambda, c) in _frontEnd)
            foreach (var (mu, d) in _current)
            {
                double diff = lambda - mu;
                sum += Math.Abs(diff) < 1e-12 ? c * d * t * Math.Exp(-mu * t) : c * d * (Math.Exp(-mu * t) - Math.Exp(-lambda * t)) / diff;
            }
        return sum;
    }

    private (double Time, double Value) FindPeak()
    {
        double best = 0, bestT = 0;
        for (double t = 0.001; t < 200; t += 0.01)
        {
            double v = Raw(t);
            if (v > best) { best = v; bestT = t; }
        }
        return (bestT, best);
    }

    private (double Left, double Right) HalfMaximum()
    {
        double left = PeakTimeNs, right = PeakTimeNs;
        while (left > 0 && Value(left) > 0.5) left -= 0.001;
        while (Value(right) > 0.5) right += 0.001;
        return (left, right);
    }
}
