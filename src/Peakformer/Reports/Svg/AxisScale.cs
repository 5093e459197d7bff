using System.Globalization;

namespace Peakformer.Reports.Svg;

/// <summary>A linear or base-10 logarithmic axis mapping data values to pixels, with tick positions and labels.</summary>
public sealed class AxisScale(bool log)
{
    public bool Log { get; } = log;
    public double Min { get; private set; }
    public double Max { get; private set; }

    public void Fit(double min, double max)
    {
        if (Log)
        {
            if (!(min > 0)) min = max > 0 ? max / 1e3 : 1e-3;
            if (!(max > min)) max = min * 10;
            Min = Math.Pow(10, Math.Floor(Math.Log10(min)));
            Max = Math.Pow(10, Math.Ceiling(Math.Log10(max)));
            return;
        }
        if (!(max > min))
        {
            double pad = Math.Abs(min) > 0 ? Math.Abs(min) * 0.1 : 1;
            (min, max) = (min - pad, max + pad);
        }
        double step = NiceStep((max - min) / 6);
        Min = Math.Floor(min / step) * step;
        Max = Math.Ceiling(max / step) * step;
    }

    public void Set(double min, double max) => (Min, Max) = (min, max);

    /// <summary>Position in [0, 1] along the axis.</summary>
    public double Fraction(double v)
    {
        if (Log) return (Math.Log10(Math.Max(v, Min * 1e-3)) - Math.Log10(Min)) / (Math.Log10(Max) - Math.Log10(Min));
        return (v - Min) / (Max - Min);
    }

    public IEnumerable<double> Ticks()
    {
        if (Log)
        {
            for (double d = Min; d <= Max * 1.0001; d *= 10) yield return d;
            yield break;
        }
        double step = NiceStep((Max - Min) / 6);
        for (double t = Math.Ceiling(Min / step) * step; t <= Max + step * 1e-9; t += step)
            yield return Math.Abs(t) < step * 1e-9 ? 0 : t;
    }

    public static string Label(double v, bool log)
    {
        if (log)
        {
            int e = (int)Math.Round(Math.Log10(v));
            return e is >= -2 and <= 3 ? v.ToString("0.##", CultureInfo.InvariantCulture) : $"1e{e}";
        }
        double a = Math.Abs(v);
        return a != 0 && (a >= 1e5 || a < 1e-3) ? v.ToString("0.##e0", CultureInfo.InvariantCulture) : v.ToString("0.####", CultureInfo.InvariantCulture);
    }

    /// <summary>1, 2 or 5 times a power of ten, at least the raw step.</summary>
    public static double NiceStep(double raw)
    {
        if (!(raw > 0)) return 1;
        double power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double f = raw / power;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
    }
}
