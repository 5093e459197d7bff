using Peakformer.Engine.Randomness;

namespace Peakformer.DriftChamber.Simulation;

/// <summary>
/// 1/f (pink) noise as a sum of first-order (AR(1)) processes of equal variance whose corner frequencies lie one
/// octave apart, from the configured corner up to the Nyquist frequency. Each process has a Lorentzian spectrum;
/// Lorentzians of equal weight spaced evenly in log frequency sum to 1/f between the lowest and highest corner
/// (the integral of tau / (1 + (w tau)^2) over log tau is pi / (2 w)), with a ripple of a fraction of a dB at one
/// per octave. Below the corner the spectrum is flat. Every process starts in its stationary state, so the record's
/// first samples are as noisy as the rest.
/// </summary>
public sealed class PinkNoise
{
    private readonly double[] _decay, _drive;
    private readonly double _sigma;

    public PinkNoise(double rms, double cornerMhz, double samplingNs)
    {
        double nyquistMhz = 500 / samplingNs;
        int poles = Math.Max(1, (int)Math.Ceiling(Math.Log2(nyquistMhz / cornerMhz)));
        _sigma = rms / Math.Sqrt(poles);
        _decay = new double[poles];
        _drive = new double[poles];
        for (int k = 0; k < poles; k++)
        {
            double cornerPerNs = cornerMhz * Math.Pow(2, k) * 1e-3;            // MHz -> 1/ns
            double a = Math.Exp(-2 * Math.PI * cornerPerNs * samplingNs);
            _decay[k] = a;
            _drive[k] = Math.Sqrt(1 - a * a) * _sigma;                          // keeps each process's variance at sigma^2
        }
    }

    /// <summary>Corner frequencies used, lowest first (one per octave).</summary>
    public int Poles => _decay.Length;

    /// <summary>Adds one record of pink noise; <paramref name="normals"/> is working memory of the waveform's length.</summary>
    public void Add(Span<float> waveform, Rng rng, Span<float> normals)
    {
        for (int k = 0; k < _decay.Length; k++)
        {
            rng.FillNormal(normals, 1f);
            double a = _decay[k], b = _drive[k], y = _sigma * normals[0];
            waveform[0] += (float)y;
            for (int i = 1; i < waveform.Length; i++)
            {
                y = a * y + b * normals[i];
                waveform[i] += (float)y;
            }
        }
    }
}
