namespace Peakformer.Engine.Randomness;

/// <summary>Samplers built on <see cref="Rng"/> for the distributions the simulators need.</summary>
public static class Distributions
{
    /// <summary>
    /// Poisson(mean). Small means by inversion (sequential search of the CDF); large means (above 30) by the
    /// PTRS transformed-rejection method of Hörmann (1993), which needs a handful of uniforms per draw.
    /// </summary>
    public static int Poisson(this Rng rng, double mean)
    {
        if (mean < 0 || double.IsNaN(mean)) throw new ArgumentOutOfRangeException(nameof(mean), $"Poisson: mean must be non-negative, got {mean}.");
        if (mean == 0) return 0;
        if (mean < 30)
        {
            double p = Math.Exp(-mean), cdf = p, u = rng.NextDouble();
            int k = 0;
            while (u > cdf && k < 1000)
            {
                k++;
                p *= mean / k;
                cdf += p;
            }
            return k;
        }
        double logMean = Math.Log(mean);
        double b = 0.931 + 2.53 * Math.Sqrt(mean);
        double a = -0.059 + 0.02483 * b;
        double invAlpha = 1.1239 + 1.1328 / (b - 3.4);
        double vr = 0.9277 - 3.6224 / (b - 2);
        while (true)
        {
            double u = rng.NextDouble() - 0.5;
            double v = rng.NextDouble();
            double us = 0.5 - Math.Abs(u);
            int k = (int)Math.Floor((2 * a / us + b) * u + mean + 0.43);
            if (us >= 0.07 && v <= vr) return k;
            if (k < 0 || (us < 0.013 && v > us)) continue;
            double logV = Math.Log(v * invAlpha / (a / (us * us) + b));
            if (logV <= -mean + k * logMean - LogFactorial(k)) return k;
        }
    }

    /// <summary>Gamma(shape, scale) by Marsaglia and Tsang (2000); shape below 1 via the boost Gamma(shape+1) U^(1/shape).</summary>
    public static double Gamma(this Rng rng, double shape, double scale)
    {
        if (shape <= 0 || scale <= 0) throw new ArgumentOutOfRangeException(nameof(shape), $"Gamma: shape and scale must be positive, got {shape}, {scale}.");
        if (shape < 1)
        {
            double u = rng.NextDouble();
            return rng.Gamma(shape + 1, scale) * Math.Pow(u, 1 / shape);
        }
        double d = shape - 1.0 / 3, c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = rng.NextNormal();
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = rng.NextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.Log(u) < 0.5 * x * x + d * (1 - v + Math.Log(v)))
                return d * v * scale;
        }
    }

    /// <summary>ln(k!) exactly for small k, by Stirling's series beyond.</summary>
    public static double LogFactorial(int k)
    {
        if (k < 2) return 0;
        if (k < 20)
        {
            double s = 0;
            for (int i = 2; i <= k; i++) s += Math.Log(i);
            return s;
        }
        double n = k;
        return n * Math.Log(n) - n + 0.5 * Math.Log(2 * Math.PI * n) + 1 / (12 * n) - 1 / (360 * n * n * n);
    }
}
