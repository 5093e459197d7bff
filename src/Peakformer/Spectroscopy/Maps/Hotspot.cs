namespace Peakformer.Spectroscopy.Maps;

/// <summary>A Gaussian hotspot of a TERS map: centre (x_j, y_j) in pixels (x the row), width sigma_j, amplitude A_j (§2).</summary>
public readonly record struct Hotspot(double X, double Y, double Sigma, double Amplitude);
