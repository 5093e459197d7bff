namespace Peakformer.Spectroscopy.Tensors;

/// <summary>
/// The polarisation configurations of the tensor task, one spectrum (channel) each, "incident:scattered" in the lab
/// frame. The band amplitude is e_s^T R e_i (ters-ml-math-reference.md §3), its square is measured:
/// XX, YY, ZZ, XY, XZ, YZ give |R_jk| of the six components of the symmetric lab tensor; five more, each with the
/// scattered polariser at 45 degrees between two axes, give |R_a + R_b| / sqrt 2 and so the sign of R_a R_b, along
/// the links Rxx-Rxy, Rxy-Rxz, Rxy-Ryz, Ryy-Ryz, Rzz-Rxz: a tree over all six, so the tensor is fixed up to one
/// global sign (which no intensity can see) whenever the linking components are not near zero. 11 = 2 x 6 - 1 is
/// also the generic count for recovering a 6-vector up to sign from squared projections.
/// </summary>
public static class TensorPolarisations
{
    private static readonly double S = Math.Sqrt(0.5);

    /// <summary>(name, incident, scattered), unit vectors.</summary>
    public static readonly IReadOnlyList<(string Name, double[] Incident, double[] Scattered)> All =
    [
        ("x:x", [1, 0, 0], [1, 0, 0]),
        ("y:y", [0, 1, 0], [0, 1, 0]),
        ("z:z", [0, 0, 1], [0, 0, 1]),
        ("x:y", [1, 0, 0], [0, 1, 0]),
        ("x:z", [1, 0, 0], [0, 0, 1]),
        ("y:z", [0, 1, 0], [0, 0, 1]),
        ("x:x+y", [1, 0, 0], [S, S, 0]),   // (Rxx + Ryx) / sqrt 2: sign of Rxx Rxy
        ("x:y+z", [1, 0, 0], [0, S, S]),   // (Ryx + Rzx) / sqrt 2: sign of Rxy Rxz
        ("y:x+z", [0, 1, 0], [S, 0, S]),   // (Rxy + Rzy) / sqrt 2: sign of Rxy Ryz
        ("y:y+z", [0, 1, 0], [0, S, S]),   // (Ryy + Rzy) / sqrt 2: sign of Ryy Ryz
        ("z:z+x", [0, 0, 1], [S, 0, S]),   // (Rxz + Rzz) / sqrt 2: sign of Rzz Rxz
    ];

    /// <summary>[C, 6]: incident then scattered vector of each configuration, as written to the .npz.</summary>
    public static double[] Vectors() => All.SelectMany(p => p.Incident.Concat(p.Scattered)).ToArray();
}
