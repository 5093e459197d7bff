using System.Globalization;

namespace Peakformer.Spectroscopy.Simulation;

/// <summary>
/// The command line's polarisation: none (unpolarised), parallel (e_i = e_s = x), crossed (e_i = x, e_s = y), or
/// explicit vectors "EIX,EIY,EIZ:ESX,ESY,ESZ" (normalised by the simulator).
/// </summary>
public static class PolarisationSpec
{
    public static (double[]? Incident, double[]? Scattered) Parse(string text, string where)
    {
        switch (text.Trim())
        {
            case "none": return (null, null);
            case "parallel": return ([1, 0, 0], [1, 0, 0]);
            case "crossed": return ([1, 0, 0], [0, 1, 0]);
        }
        var parts = text.Split(':');
        var vectors = parts.Select(p => p.Split(',').Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d) ? d : double.NaN).ToArray()).ToArray();
        if (parts.Length != 2 || vectors.Any(v => v.Length != 3 || v.Any(double.IsNaN) || v.Sum(x => x * x) < 1e-12))
            throw InputException.At(null, null, where, "none, parallel, crossed or two non-zero vectors EIX,EIY,EIZ:ESX,ESY,ESZ", $"'{text}'");
        return (vectors[0], vectors[1]);
    }
}
